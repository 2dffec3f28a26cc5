// When the outbox is worked on: when the app opens, when the browser comes back
// online, right after a push is queued, and when a wait (429, 5xx backoff)
// ends. Passes are single-flight across tabs through a Web Lock: two tabs of
// the app never push the same entry at once. The lock is waited for, not
// skipped, so a push queued in tab B while tab A is mid-pass is still sent
// (B's pass runs after A's and finds only what A left).
import type { TimeMachineDb } from '../db/schema';
import { outboxEntries } from '../db/outbox';
import { processOutbox, retryNow, type OutboxClient, type PassResult } from './outbox';
import { WAITING_CODES, type DueReason } from './outbox-entry';

type LockManagerLike = {
  request<T>(name: string, options: { signal?: AbortSignal }, cb: () => Promise<T>): Promise<T>;
};

export interface OutboxRunnerOptions {
  db: TimeMachineDb;
  accountId: string;
  client: OutboxClient;
  now?: () => number;
  isOnline?: () => boolean;
  /** `navigator.locks` when the browser has it; null falls back to this tab only. */
  locks?: LockManagerLike | null;
  /** Where `online` is announced (window). */
  events?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> | null;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
  /**
   * Whose Spotify account the connection (the server's cookie) belongs to.
   * The outbox follows the diary shown, but the token follows the cookie: with
   * diary A shown while B is connected, A's playlists would be created in B's
   * Spotify. A pass sends nothing unless this names the bound account.
   */
  connectedAccount?: () => Promise<string>;
  /** Told after each check: the connected account, or null when it could not be learnt. */
  onAccountCheck?: (connected: string | null) => void;
}

// setTimeout overflows past 2^31-1 ms (~24.8 days) and fires at once.
const MAX_TIMER_MS = 2_147_483_647;

export class OutboxRunner {
  readonly #o: Required<Omit<OutboxRunnerOptions, 'locks' | 'events'>> &
    Pick<OutboxRunnerOptions, 'locks' | 'events'>;
  readonly #abort = new AbortController();
  #tail: Promise<unknown> = Promise.resolve();
  #timer: unknown = null;
  #onOnline = (): void => void this.run('online');

  constructor(o: OutboxRunnerOptions) {
    this.#o = {
      connectedAccount: async () => o.accountId,
      onAccountCheck: () => undefined,
      now: () => Date.now(),
      isOnline: () => globalThis.navigator?.onLine ?? true,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
      ...o,
      locks:
        o.locks === undefined
          ? ((globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks ?? null)
          : o.locks,
      events: o.events === undefined ? (typeof window === 'undefined' ? null : window) : o.events,
    };
  }

  /** The app opened with a connected account. */
  start(): Promise<PassResult | null> {
    this.#o.events?.addEventListener('online', this.#onOnline);
    return this.run('open');
  }

  stop(): void {
    this.#o.events?.removeEventListener('online', this.#onOnline);
    if (this.#timer !== null) this.#o.clearTimer(this.#timer);
    this.#timer = null;
    this.#abort.abort();
  }

  /** The Retry button. */
  async retry(id: string): Promise<PassResult | null> {
    await retryNow(this.#o.db, id, this.#o.now());
    return this.run('tick');
  }

  /**
   * One pass, queued behind any pass already running in this tab, and behind
   * any pass in another tab when Web Locks exist. Offline it does nothing:
   * entries stay pending and the `online` event starts the next pass.
   */
  run(reason: DueReason): Promise<PassResult | null> {
    const pass = this.#tail.then(async () => {
      if (this.#abort.signal.aborted || !this.#o.isOnline()) return null;
      if (!(await this.#isBoundAccountConnected())) return null;
      const work = () =>
        processOutbox(
          { db: this.#o.db, client: this.#o.client, now: this.#o.now, signal: this.#abort.signal },
          this.#o.accountId,
          reason,
        );
      const result = this.#o.locks
        ? await this.#o.locks.request(
            `mtm-outbox:${this.#o.accountId}`,
            { signal: this.#abort.signal },
            work,
          )
        : await work();
      await this.#scheduleNextWait();
      return result;
    });
    this.#tail = pass.catch(() => undefined);
    return pass.catch((err: unknown) => {
      if (this.#abort.signal.aborted) return null;
      throw err;
    });
  }

  /** Never throws: a connection that cannot be checked (offline, expired) sends nothing either. */
  async #isBoundAccountConnected(): Promise<boolean> {
    const connected = await this.#o.connectedAccount().catch(() => null);
    this.#o.onAccountCheck(connected);
    return connected === this.#o.accountId;
  }

  /** Arms one timer for the earliest entry that is waiting out a 429 or a backoff. */
  async #scheduleNextWait(): Promise<void> {
    if (this.#timer !== null) this.#o.clearTimer(this.#timer);
    this.#timer = null;
    if (this.#abort.signal.aborted) return;
    const rows = await outboxEntries(this.#o.db, this.#o.accountId);
    let earliest = Infinity;
    for (const e of rows) {
      const err = e.lastError;
      if (e.state === 'failed' && err && WAITING_CODES.has(err.code) && err.retryAt !== null) {
        earliest = Math.min(earliest, err.retryAt);
      }
    }
    if (earliest === Infinity) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, earliest - this.#o.now()));
    this.#timer = this.#o.setTimer(() => {
      this.#timer = null;
      void this.run('tick');
    }, delay);
  }
}
