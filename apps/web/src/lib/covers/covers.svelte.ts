// The app's one cover queue, wired to the session, and the on-screen test
// that feeds it: one IntersectionObserver for every cover on the page.
import { database } from '../db/database';
import { session } from '../spotify/session.svelte';
import { CoverQueue } from './cover-queue';

let queue: CoverQueue | null = null;

function ready(): boolean {
  return (
    session.online &&
    session.connection === 'connected' &&
    (typeof navigator === 'undefined' || navigator.onLine)
  );
}

function coverQueue(): CoverQueue {
  if (queue) return queue;
  const q = new CoverQueue({ db: database, client: () => session.client(), ready });
  queue = q;
  // back online, or the sync on open just confirmed the connection
  $effect.root(() => {
    $effect(() => {
      if (ready()) q.wake();
    });
  });
  return q;
}

type Watch = (visible: boolean) => void;
let observer: IntersectionObserver | null = null;
const watches = new WeakMap<Element, Watch>();

function observe(el: Element, watch: Watch): () => void {
  // "on screen" means on screen: no margin, so a long month list asks only
  // for the covers a person can see
  observer ??= new IntersectionObserver((entries) => {
    for (const e of entries) watches.get(e.target)?.(e.isIntersecting);
  });
  watches.set(el, watch);
  observer.observe(el);
  return () => {
    observer?.unobserve(el);
    watches.delete(el);
  };
}

/**
 * Asks for `trackId`'s cover while `el` is on screen; `onCover` gets the URL
 * once it is stored. Returns the cleanup for when the element goes away.
 */
export function lazyCover(
  el: Element,
  trackId: string,
  onCover: (url: string) => void,
): () => void {
  if (typeof IntersectionObserver === 'undefined') return () => undefined;
  let release: (() => void) | null = null;
  const stop = observe(el, (visible) => {
    if (visible && !release) release = coverQueue().want(trackId, onCover);
    else if (!visible && release) {
      release();
      release = null;
    }
  });
  return () => {
    stop();
    release?.();
  };
}
