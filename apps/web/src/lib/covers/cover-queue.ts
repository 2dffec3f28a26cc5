// Cover art for tracks the privacy export brought in (they have no image:
// the import makes no Spotify calls). Fetched one track at a time (there is
// no batch read since 2026), only while a cover is on screen, a couple at a
// time, and never in a way that spends the app's Spotify allowance on covers
// nobody looks at: a cover that leaves the screen before its turn is dropped,
// and one already asked for is aborted unless it is back on screen at once.
import type { Track } from '@mtm/core';
import { SpotifyError, type SpotifyErrorCode } from '@mtm/spotify-client';
import type { TimeMachineDb } from '../db/schema';
import { fillTrackDetails } from '../db/tracks';

export interface CoverClient {
  track(id: string, o?: { signal?: AbortSignal }): Promise<Track>;
}

export interface CoverQueueDeps {
  db: () => TimeMachineDb;
  /** The session's client, or null while the app does not know where Spotify is. */
  client: () => CoverClient | null;
  /** Online and connected: nothing is asked for otherwise (call `wake()` when it becomes true). */
  ready: () => boolean;
  now?: () => number;
  /** Requests in flight at once. Default 2. */
  concurrency?: number;
}

/** Codes after which no cover is asked for again in this session. */
const GIVE_UP: ReadonlySet<SpotifyErrorCode> = new Set([
  'QUOTA_EXCEEDED',
  'AUTH_EXPIRED',
  'NOT_ALLOWLISTED',
  'INSUFFICIENT_SCOPE',
]);
/** Codes that say this track will never have an answer. */
const NEVER: ReadonlySet<SpotifyErrorCode> = new Set(['NOT_FOUND', 'BAD_REQUEST']);
/**
 * Other failures (network, 5xx) come after the client's own retries with
 * backoff; the cover is asked for once more the next time it is on screen,
 * then left as a colour block for the session.
 */
const MAX_TRIES = 2;
/** A 429 without Retry-After: wait a minute rather than not at all. */
const DEFAULT_PAUSE_MS = 60_000;
const MAX_TIMER_MS = 2_147_483_647;
/**
 * How long a request already sent outlives the last cover that wanted it. A
 * row redrawn, or pushed off the screen for a moment by content arriving
 * above it, wants it again within this: aborting would only make the same
 * request twice (Spotify has already counted the first).
 */
export const RELEASE_GRACE_MS = 1_000;

type Listener = (url: string) => void;

interface Entry {
  id: string;
  listeners: Set<Listener>;
  abort: AbortController | null;
  /** The abort waiting out RELEASE_GRACE_MS after the last listener left. */
  aborting: ReturnType<typeof setTimeout> | null;
}

export class CoverQueue {
  #deps: CoverQueueDeps;
  #now: () => number;
  #concurrency: number;
  /** Wanted and not started, in the order they came on screen. */
  #pending: Entry[] = [];
  #running = new Set<Entry>();
  /** Answered: the stored URL, or null when Spotify has no image either. */
  #done = new Map<string, string | null>();
  #failures = new Map<string, { code: string; tries: number }>();
  #pausedUntil = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped: SpotifyErrorCode | null = null;

  constructor(deps: CoverQueueDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#concurrency = Math.max(1, deps.concurrency ?? 2);
  }

  /** Why covers stopped for this session (quota, auth, allow-list), or null. */
  get stopped(): SpotifyErrorCode | null {
    return this.#stopped;
  }
  get pausedUntil(): number | null {
    return this.#pausedUntil > this.#now() ? this.#pausedUntil : null;
  }
  get inFlight(): number {
    return this.#running.size;
  }
  get waiting(): number {
    return this.#pending.length;
  }
  /** The last failure remembered for a track, if any. */
  failureOf(id: string): { code: string; tries: number } | null {
    return this.#failures.get(id) ?? null;
  }

  /**
   * A cover for `id` is on screen. `onCover` gets the image URL once stored.
   * Returns the release to call when it leaves the screen (or unmounts).
   */
  want(id: string, onCover: Listener): () => void {
    const known = this.#done.get(id);
    if (known !== undefined) {
      if (known) queueMicrotask(() => onCover(known));
      return noop;
    }
    if (this.#stopped || this.#givenUp(id)) return noop;
    // an aborted request still settling does not count: a new one is queued
    let entry =
      [...this.#running].find((e) => e.id === id && !e.abort?.signal.aborted) ??
      this.#pending.find((e) => e.id === id);
    if (!entry) {
      entry = { id, listeners: new Set(), abort: null, aborting: null };
      this.#pending.push(entry);
    }
    const e = entry;
    // back on screen while its request is still going: it goes on
    if (e.aborting) clearTimeout(e.aborting);
    e.aborting = null;
    const listener: Listener = (url) => onCover(url);
    e.listeners.add(listener);
    this.#pump();
    return () => this.#release(e, listener);
  }

  /** Conditions changed (back online, connected): start what is waiting. */
  wake(): void {
    this.#pump();
  }

  #givenUp(id: string): boolean {
    const f = this.#failures.get(id);
    return f !== undefined && (NEVER.has(f.code as SpotifyErrorCode) || f.tries >= MAX_TRIES);
  }

  #release(e: Entry, listener: Listener): void {
    if (!e.listeners.delete(listener) || e.listeners.size > 0) return;
    const i = this.#pending.indexOf(e);
    if (i >= 0) this.#pending.splice(i, 1);
    // scrolled away mid-request: the answer is no longer worth waiting for
    // (it may still be queued in the client behind a sync, or sleeping out a
    // 429), unless the cover is back on screen within the grace
    else if (e.abort && !e.aborting) {
      const abort = e.abort;
      e.aborting = setTimeout(() => {
        e.aborting = null;
        if (e.listeners.size === 0) abort.abort();
      }, RELEASE_GRACE_MS);
    }
  }

  #pump(): void {
    if (this.#stopped) return;
    const wait = this.#pausedUntil - this.#now();
    if (wait > 0) return this.#wakeIn(wait);
    while (
      this.#running.size < this.#concurrency &&
      this.#pending.length > 0 &&
      this.#deps.ready()
    ) {
      const e = this.#pending.shift()!;
      void this.#fetch(e);
    }
  }

  #wakeIn(ms: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        this.#pump();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
  }

  async #fetch(e: Entry): Promise<void> {
    const abort = new AbortController();
    e.abort = abort;
    this.#running.add(e);
    try {
      const db = this.#deps.db();
      const stored = await db.tracks.get(e.id);
      // a sync or another page may have filled it since the page was read;
      // no row at all: nothing to fill, so nothing to ask for
      if (!stored || stored.album.imageUrl) return this.#finish(e, stored?.album.imageUrl ?? null);
      const client = this.#deps.client();
      if (abort.signal.aborted || !client) return;
      const fetched = await client.track(e.id, { signal: abort.signal });
      const row = await fillTrackDetails(db, e.id, fetched);
      this.#finish(e, row?.album.imageUrl ?? null);
    } catch (err) {
      this.#failed(e, err, abort.signal.aborted);
    } finally {
      this.#running.delete(e);
      e.abort = null;
      if (e.aborting) clearTimeout(e.aborting);
      e.aborting = null;
      this.#pump();
    }
  }

  #finish(e: Entry, url: string | null): void {
    this.#done.set(e.id, url);
    this.#failures.delete(e.id);
    if (url) for (const l of e.listeners) l(url);
  }

  #failed(e: Entry, err: unknown, aborted: boolean): void {
    const code = err instanceof SpotifyError ? err.code : null;
    if (aborted || code === 'ABORTED') return;
    if (code === 'RATE_LIMITED') {
      const retryAt =
        (err as SpotifyError).retryAt ??
        this.#now() + ((err as SpotifyError).retryAfterMs ?? DEFAULT_PAUSE_MS);
      this.#pausedUntil = Math.max(this.#pausedUntil, retryAt);
      // still on screen: first in line once the wait is over
      if (e.listeners.size > 0) this.#pending.unshift(e);
      return;
    }
    if (code && GIVE_UP.has(code)) {
      this.#stopped = code;
      for (const p of this.#pending) p.listeners.clear();
      this.#pending = [];
      for (const r of this.#running.values()) r.abort?.abort();
      return;
    }
    const before = this.#failures.get(e.id);
    this.#failures.set(e.id, { code: code ?? 'UNKNOWN', tries: (before?.tries ?? 0) + 1 });
  }
}

function noop(): void {}
