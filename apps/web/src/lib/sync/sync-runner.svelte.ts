// The app's one sync at a time, and the words the sync strip shows.
import { SpotifyError, defaultSleep } from '@mtm/spotify-client';
import { database } from '../db/database';
import { session, type Session } from '../spotify/session.svelte';
import { clockTime, errorCode, wordsFor, type AppErrorCode } from '../ui/error-words';
import { runSync, type SyncOptions, type SyncProgress, type SyncResult } from './sync-engine';

export type SyncPhase = 'idle' | 'running' | 'paused' | 'done' | 'failed';

export function progressWords(p: SyncProgress): string {
  switch (p.step) {
    case 'account':
      return 'Checking your Spotify connection …';
    case 'snapshots':
      return `Saving your top tracks … ${Math.min(p.done + 1, p.total)} of ${p.total}`;
    case 'recent':
      return 'Saving what you played recently …';
    case 'features':
      return `Fetching mood data … ${p.done} of ${p.total} tracks`;
    case 'paused':
      return `Spotify asked us to slow down. Paused until ${clockTime(p.until)}; continuing by itself.`;
  }
}

export function resultWords(r: SyncResult): string {
  const parts: string[] = [];
  if (r.snapshotsTaken.length > 0) parts.push('saved your top tracks');
  if (r.newPlays > 0)
    parts.push(`added ${r.newPlays} recent ${r.newPlays === 1 ? 'play' : 'plays'}`);
  const head =
    parts.length > 0 ? `Diary updated: ${parts.join(' and ')}.` : 'Your diary is up to date.';
  if (r.featuresUnavailable) return `${head} ${wordsFor('FEATURES_UNAVAILABLE').text}`;
  if (r.featuresMissing > 0) return `${head} ${r.featuresMissing} tracks have no mood data yet.`;
  return head;
}

export class SyncRunner {
  #session: Session;
  #phase = $state<SyncPhase>('idle');
  #line = $state('');
  #errorCode = $state<AppErrorCode | null>(null);
  #lastResult = $state<SyncResult | null>(null);
  #running: Promise<SyncResult | null> | null = null;
  #runningOpts: SyncOptions | null = null;
  // listeners, not state: nothing renders them
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #finished = new Set<(r: SyncResult) => void>();
  #abort: AbortController | null = null;

  constructor(s: Session = session) {
    this.#session = s;
  }

  get phase() {
    return this.#phase;
  }
  get line() {
    return this.#line;
  }
  get errorCode() {
    return this.#errorCode;
  }
  get lastResult() {
    return this.#lastResult;
  }
  get busy() {
    return this.#phase === 'running' || this.#phase === 'paused';
  }

  /**
   * Starts a sync, or joins the one already running. Never throws: the
   * outcome is in phase/line. "Take a snapshot now" while a run that takes
   * none is under way (the sync on open, say) does not join it: its own run
   * follows, so the snapshot asked for is taken.
   */
  sync(opts: SyncOptions = {}): Promise<SyncResult | null> {
    if (this.#running && opts.snapshotNow && !this.#runningOpts?.snapshotNow)
      return this.#running.then(() => this.sync(opts));
    if (!this.#running) {
      this.#runningOpts = opts;
      this.#running = this.#run(opts).finally(() => {
        this.#running = null;
        this.#runningOpts = null;
      });
    }
    return this.#running;
  }

  /** The sync on open: only when the server answered (online) and a connection may exist. */
  async syncOnOpen(): Promise<SyncResult | null> {
    await this.#session.start();
    if (!this.#session.online || !this.#session.config) return null;
    return this.sync();
  }

  /** The `online` event: sync if this open has not synced yet or failed for want of a network. */
  async syncWhenBackOnline(): Promise<SyncResult | null> {
    await this.#session.reloadConfig();
    if (!this.#session.online) return null;
    const missed =
      this.#phase === 'idle'
        ? this.#lastResult === null && this.#errorCode === null
        : this.#phase === 'failed' && this.#errorCode === 'NETWORK';
    return missed ? this.sync() : null;
  }

  /**
   * Called after each sync that stored something (or found nothing new): the
   * explicit signal the app context turns into "reload what you show".
   * Returns the unsubscribe.
   */
  onFinished(listener: (r: SyncResult) => void): () => void {
    this.#finished.add(listener);
    return () => this.#finished.delete(listener);
  }

  cancel(): void {
    this.#abort?.abort();
  }

  async #run(opts: SyncOptions): Promise<SyncResult | null> {
    await this.#session.start();
    const client = this.#session.client();
    if (!client) {
      this.#fail('NETWORK');
      return null;
    }
    this.#abort = new AbortController();
    // a disconnect while this runs makes its answer old news (session.markConnected)
    const generation = this.#session.generation;
    this.#phase = 'running';
    this.#errorCode = null;
    this.#line = 'Checking your Spotify connection …';
    try {
      const result = await runSync(
        {
          db: database(),
          client,
          now: Date.now,
          sleep: defaultSleep,
          signal: this.#abort.signal,
          onProgress: (p) => {
            this.#phase = p.step === 'paused' ? 'paused' : 'running';
            this.#line = progressWords(p);
          },
        },
        opts,
      );
      this.#session.markConnected(result.accountId, generation);
      await this.#session.refreshAccounts();
      this.#lastResult = result;
      this.#phase = 'done';
      this.#line = resultWords(result);
      for (const listener of this.#finished) listener(result);
      return result;
    } catch (e) {
      const code = errorCode(e);
      if (code === 'NOT_ALLOWLISTED') this.#session.markNotAllowlisted();
      this.#fail(code, e instanceof SpotifyError ? e.retryAt : null);
      return null;
    } finally {
      this.#abort = null;
    }
  }

  #fail(code: AppErrorCode, retryAt: number | null = null): void {
    // Never connected on this device: the first-run screen says it better.
    const quiet = code === 'AUTH_EXPIRED' && this.#session.connection === 'not-connected';
    this.#phase = quiet ? 'idle' : 'failed';
    this.#errorCode = quiet ? 'NOT_CONNECTED' : code;
    this.#line = quiet ? '' : wordsFor(code, { retryAt }).text;
  }
}

export const syncRunner = new SyncRunner();
