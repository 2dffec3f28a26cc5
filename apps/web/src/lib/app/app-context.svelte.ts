// The one account context of the app: which database, which account's diary
// is shown, and a revision that moves whenever that diary's data changed under
// the page (a finished sync, an import, a restored backup). The root layout
// starts it once; feature stores follow `scope` (see account-store.svelte.ts)
// and so reload after an account switch or a finished sync without any page
// knowing why. Writers announce a change with `dataChanged()`.
import type { SpotifyClient } from '@mtm/spotify-client';
import { database } from '../db/database';
import type { TimeMachineDb } from '../db/schema';
import type { AppConfig } from '../spotify/config';
import { session, type Session } from '../spotify/session.svelte';
import { syncRunner, type SyncRunner } from '../sync';

/** What a feature store reads for: one account in one database, at one revision. */
export interface DiaryScope {
  db: TimeMachineDb;
  accountId: string;
  /** Moves on every change announced through dataChanged(); compare, never count. */
  revision: number;
}

export class AppContext {
  #session: Session;
  #sync: SyncRunner;
  #db: () => TimeMachineDb;
  #revision = $state(0);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  constructor(s: Session = session, sync: SyncRunner = syncRunner, db = database) {
    this.#session = s;
    this.#sync = sync;
    this.#db = db;
    // a finished sync is the signal every store follows
    this.#sync.onFinished(() => this.dataChanged());
  }

  /** True once the session knows the accounts on this device. */
  get ready(): boolean {
    return this.#session.ready;
  }

  /** The account whose diary is shown, or null (nothing connected or imported yet). */
  get accountId(): string | null {
    return this.#session.accountId;
  }

  /**
   * Null until ready and while no diary is shown. A new object whenever the
   * account or the revision changes, so an effect that reads it re-runs then.
   */
  get scope(): DiaryScope | null {
    const accountId = this.#session.ready ? this.#session.accountId : null;
    const revision = this.#revision;
    return accountId ? { db: this.#db(), accountId, revision } : null;
  }

  get db(): TimeMachineDb {
    return this.#db();
  }

  /** Demo mode: the server runs on its built-in sample listener. */
  get demo(): boolean {
    return this.#session.demo;
  }

  /** The browser's word on the network (the `online`/`offline` events). */
  get online(): boolean {
    return this.#online;
  }

  /** What the server said about where Spotify is; null offline on a first start. */
  get config(): AppConfig | null {
    return this.#session.config;
  }

  /** A client for the connected account; null until the config is known. */
  spotify(): SpotifyClient | null {
    return this.#session.client();
  }

  /**
   * The app's start, once, from the root layout: the session, a visible sync
   * on open (unless the start page runs it, just back from the consent page),
   * the network events, and the outbox bound to the diary shown. Returns the
   * cleanup.
   */
  start(opts: { syncOnOpen: boolean }): () => void {
    if (opts.syncOnOpen) void this.#sync.syncOnOpen();
    else void this.#session.start();
    const online = () => {
      this.#online = true;
      void this.#sync.syncWhenBackOnline();
    };
    const offline = () => {
      this.#online = false;
      this.#session.wentOffline();
    };
    window.addEventListener('online', online);
    window.addEventListener('offline', offline);
    return () => {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
    };
  }

  /** Resolves once the session knows the accounts on this device. */
  whenReady(): Promise<void> {
    return this.#session.start();
  }

  /** Something wrote to the shown diary outside a sync: stores reload. */
  dataChanged(): void {
    this.#revision++;
  }
}

export const app = new AppContext();
