// The outbox as the pages see it: the live list of entries of the current
// account, whether the browser is online, and intent-named actions. One
// instance per tab; the runner behind it is single-flight across tabs.
import { liveQuery, type Subscription } from 'dexie';
import type { TimeMachineDb } from '../db/schema';
import { outboxEntries } from '../db/outbox';
import { DEFAULT_DESCRIPTION } from './marker';
import { discard, enqueuePush, trackUris, type OutboxClient } from './outbox';
import type { OutboxEntry } from './outbox-entry';
import { OutboxRunner } from './outbox-runner';
import { playlistName } from './playlist-name';

export interface OutboxBinding {
  db: TimeMachineDb;
  accountId: string;
  /** null when the app has no way to reach Spotify yet (offline first start): pushes still queue. */
  client: OutboxClient | null;
  now?: () => number;
  /** Whose Spotify account the connection belongs to (see OutboxRunnerOptions). */
  connectedAccount?: () => Promise<string>;
}

export interface PushRequest {
  /** "Workout Boost": the month is appended ("Workout Boost - Nov 2026"). */
  title: string;
  trackIds: readonly string[];
  origin: string;
  description?: string;
}

export class OutboxService {
  #entries = $state<OutboxEntry[]>([]);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #accountId = $state<string | null>(null);
  #connectedAs = $state<string | null>(null);
  // state: a page that rendered its push button before the layout bound the
  // outbox (a slow start) must see it become ready, or the button stays disabled
  #binding = $state.raw<OutboxBinding | null>(null);
  #runner: OutboxRunner | null = null;
  #sub: Subscription | null = null;
  #listening = false;

  get entries(): OutboxEntry[] {
    return this.#entries;
  }
  get online(): boolean {
    return this.#online;
  }
  get accountId(): string | null {
    return this.#accountId;
  }
  /**
   * The other Spotify account the connection belongs to, while it is not the
   * diary's: pushes wait (issue 12). Null when they match or nothing is known.
   */
  get connectedElsewhere(): string | null {
    return this.#connectedAs !== null && this.#connectedAs !== this.#accountId
      ? this.#connectedAs
      : null;
  }
  get ready(): boolean {
    return this.#binding !== null;
  }

  entry(id: string | null): OutboxEntry | undefined {
    return id === null ? undefined : this.#entries.find((e) => e.id === id);
  }

  /** Binds to an account (app open, reconnect, account switch) and sends what is due. */
  attach(b: OutboxBinding): void {
    const same =
      this.#binding &&
      this.#binding.db === b.db &&
      this.#binding.accountId === b.accountId &&
      this.#binding.client === b.client;
    if (same) return;
    this.detach();
    this.#binding = b;
    this.#accountId = b.accountId;
    this.#listenOnline();
    this.#sub = liveQuery(() =>
      outboxEntries(b.db, b.accountId).then((rows) => rows.reverse()),
    ).subscribe({
      next: (rows) => (this.#entries = rows),
      error: () => undefined,
    });
    if (b.client) {
      this.#runner = new OutboxRunner({
        db: b.db,
        accountId: b.accountId,
        client: b.client,
        ...(b.now ? { now: b.now } : {}),
        ...(b.connectedAccount ? { connectedAccount: b.connectedAccount } : {}),
        onAccountCheck: (who) => (this.#connectedAs = who),
      });
      void this.#runner.start().catch(() => undefined);
    }
  }

  detach(): void {
    this.#runner?.stop();
    this.#runner = null;
    this.#sub?.unsubscribe();
    this.#sub = null;
    this.#binding = null;
    this.#accountId = null;
    this.#connectedAs = null;
    this.#entries = [];
  }

  /** The "Push to Spotify" tap: queue first (so nothing is lost), then send if online. */
  async push(req: PushRequest): Promise<OutboxEntry> {
    const b = this.#binding;
    if (!b) throw new Error('Connect Spotify first.');
    const uris = trackUris(req.trackIds);
    const now = (b.now ?? Date.now)();
    const entry = await enqueuePush(
      b.db,
      {
        accountId: b.accountId,
        name: playlistName(req.title, now),
        description: req.description ?? DEFAULT_DESCRIPTION,
        uris,
        origin: req.origin,
      },
      now,
    );
    void this.#runner?.run('tick').catch(() => undefined);
    return entry;
  }

  async retry(id: string): Promise<void> {
    await this.#runner?.retry(id);
  }

  async discard(id: string): Promise<void> {
    if (this.#binding) await discard(this.#binding.db, id);
  }

  #listenOnline(): void {
    if (this.#listening || typeof window === 'undefined') return;
    this.#listening = true;
    window.addEventListener('online', () => (this.#online = true));
    window.addEventListener('offline', () => (this.#online = false));
  }
}

export const outbox = new OutboxService();
