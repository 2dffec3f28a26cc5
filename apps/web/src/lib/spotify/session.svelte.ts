// Who is connected, which diary is shown, and a ready Spotify client. One
// instance for the app (`session`); other modules call `spotifyClient()` and
// `activeAccountId()` rather than building their own.
import { createSpotifyClient, type Profile, type SpotifyClient } from '@mtm/spotify-client';
import type { AccountRow, TimeMachineDb } from '../db/schema';
import { database } from '../db/database';
import { currentAccountId, deleteAccountData, listAccounts, switchAccount } from '../db/accounts';
import { loadConfig, type AppConfig } from './config';
import { askToPersist, type Persistence } from '../db/persistence';
import { createServerTokenProvider, type ConnectionProblem } from './token-provider';

/** The server's hint on its pages (apps/server static-files.ts, DEMO_HINT_COOKIE). */
export function demoHint(
  cookies = typeof document === 'undefined' ? '' : document.cookie,
): boolean {
  return cookies.split(/;\s*/).includes('mtm-demo=1');
}

/** Where the page remembers, synchronously, whether this device holds a diary. */
export type HintStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
const DIARY_HINT = 'mtm-has-diary';

function browserHints(): HintStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // storage refused (a privacy mode): no hint, nothing breaks
  }
}

export type Connection = 'unknown' | 'connected' | 'not-connected' | 'expired' | 'not-allowlisted';

export class Session {
  #db: () => TimeMachineDb;
  #fetch: typeof fetch;
  #config = $state<AppConfig | null>(null);
  #configFresh = $state(false);
  #accountId = $state<string | null>(null);
  #accounts = $state<AccountRow[]>([]);
  #connection = $state<Connection>('unknown');
  /** The account the server's cookie belongs to, once a sync has said so. */
  #connectedAccountId: string | null = null;
  #ready = $state(false);
  #persistence = $state<Persistence>('unknown');
  #client: SpotifyClient | null = null;
  /** The one GET /me of this page's life, shared by the sync and the device sync. */
  #profile: Promise<Profile> | null = null;
  /** Moves on at each disconnect: an answer asked for before it says nothing about now. */
  #generation = 0;
  #tokens = createServerTokenProvider({
    fetch: (...a) => this.#fetch(...a),
    onProblem: (p) => this.#onProblem(p),
  });
  #starting: Promise<void> | null = null;

  #hints: HintStore | null;

  constructor(
    db: () => TimeMachineDb = database,
    fetchImpl: typeof fetch = (...a) => fetch(...a),
    hints: HintStore | null = browserHints(),
  ) {
    this.#db = db;
    this.#fetch = fetchImpl;
    this.#hints = hints;
  }

  get config() {
    return this.#config;
  }
  /** True when the config came from the server just now (we are online). */
  get online() {
    return this.#configFresh;
  }
  /**
   * Demo mode: what the config says, and before it has answered, what the
   * server's page said (its demo hint cookie), so the demo banner is there
   * from the first paint instead of pushing the page down when it arrives.
   */
  get demo() {
    return this.#config ? this.#config.demo : demoHint();
  }
  get accountId() {
    return this.#accountId;
  }
  /**
   * Whether a diary is shown: known once ready, and before that what the last
   * page on this device found (IndexedDB answers after the first paint), so
   * what a diary's pages hold room for is there from the first paint.
   */
  get hasDiary(): boolean {
    if (this.#ready) return this.#accountId !== null;
    try {
      return this.#hints?.getItem(DIARY_HINT) === '1';
    } catch {
      return false;
    }
  }
  get accounts() {
    return this.#accounts;
  }
  get account() {
    return this.#accounts.find((a) => a.accountId === this.#accountId) ?? null;
  }
  get connection() {
    return this.#connection;
  }
  get ready() {
    return this.#ready;
  }
  /** Whether the browser promised not to evict the diary. */
  get persistence() {
    return this.#persistence;
  }

  start(): Promise<void> {
    this.#starting ??= this.#load();
    return this.#starting;
  }

  async #load(): Promise<void> {
    const db = this.#db();
    const { config, fresh } = await loadConfig(db, this.#fetch);
    this.#config = config;
    this.#configFresh = fresh;
    await this.refreshAccounts();
    this.#ready = true;
  }

  /** Once there is a diary, ask the browser to keep it (see persistence.ts). */
  async keepDiary(): Promise<void> {
    if (this.#accounts.length > 0) this.#persistence = await askToPersist();
  }

  /** Back online: ask the server again (it may have been unreachable at start). */
  async reloadConfig(): Promise<void> {
    await this.start();
    const { config, fresh } = await loadConfig(this.#db(), this.#fetch);
    if (config && JSON.stringify(config) !== JSON.stringify(this.#config)) this.#client = null;
    this.#config = config;
    this.#configFresh = fresh;
  }

  wentOffline(): void {
    this.#configFresh = false;
  }

  async refreshAccounts(): Promise<void> {
    const db = this.#db();
    this.#accounts = await listAccounts(db);
    this.#accountId = await currentAccountId(db);
    try {
      if (this.#accountId) this.#hints?.setItem(DIARY_HINT, '1');
      else this.#hints?.removeItem(DIARY_HINT);
    } catch {
      // a full or refused storage: the hint is only a hint
    }
    void this.keepDiary();
  }

  /**
   * The client for whoever the server's cookie belongs to; null until the
   * config is known. Its `me()` is asked of Spotify once for the page's life
   * (connecting another account reloads the page): the sync and the device
   * sync both want it as the page opens, and one request answers both.
   */
  client(): SpotifyClient | null {
    if (!this.#config) return null;
    if (!this.#client) {
      const base = createSpotifyClient({
        apiBaseUrl: this.#config.apiBaseUrl,
        featuresBaseUrl: this.#config.featuresBaseUrl,
        spotifyAudioFeatures: this.#config.spotifyAudioFeatures,
        tokenProvider: this.#tokens,
      });
      this.#client = { ...base, me: () => this.#me(base) };
    }
    return this.#client;
  }

  #me(base: SpotifyClient): Promise<Profile> {
    const generation = this.#generation;
    this.#profile ??= base.me().then(
      (p) => {
        // asked before a disconnect: true then, not now
        if (generation === this.#generation) this.markConnected(p.accountId, generation);
        else this.#profile = null;
        return p;
      },
      (e: unknown) => {
        // a failure is not remembered: the next caller asks again
        this.#profile = null;
        throw e;
      },
    );
    return this.#profile;
  }

  /**
   * The account the server's cookie belongs to: known once a sync has asked
   * Spotify, otherwise asked (GET /me, shared with the sync's). Throws what
   * the client throws (offline, expired connection).
   */
  async connectedAccount(): Promise<string> {
    if (this.#connectedAccountId) return this.#connectedAccountId;
    const client = this.client();
    if (!client) throw new Error('the app does not know where Spotify is yet');
    return (await client.me()).accountId;
  }

  /** Where disconnects stand now; pass it back to markConnected with an answer asked for then. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * Spotify answered for `accountId`. An answer to a request made before a
   * disconnect (a sync that was under way when the person pressed
   * Disconnect) is ignored: the page must not say "connected" again.
   */
  markConnected(accountId: string, generation = this.#generation): void {
    if (generation !== this.#generation) return;
    this.#connection = 'connected';
    this.#connectedAccountId = accountId;
  }
  markNotAllowlisted(): void {
    this.#connection = 'not-allowlisted';
  }

  #onProblem(p: ConnectionProblem): void {
    this.#connection = p === 'AUTH_EXPIRED' ? 'expired' : 'not-connected';
  }

  async switchTo(accountId: string): Promise<void> {
    await switchAccount(this.#db(), accountId);
    await this.refreshAccounts();
  }

  /** Forgets the Spotify connection on the server; the diary stays. */
  async disconnect(): Promise<void> {
    this.#generation += 1;
    this.#profile = null;
    await this.#fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(
      () => undefined,
    );
    this.#tokens.forget();
    this.#connection = 'not-connected';
    this.#connectedAccountId = null;
    this.#profile = null;
  }

  /**
   * Deletes every local row of one account (after the page asked for
   * confirmation). When it is the connected account, the connection goes too:
   * otherwise the next open would quietly start a new diary.
   */
  async deleteLocalData(accountId: string): Promise<void> {
    if (accountId === this.#connectedAccountId) await this.disconnect();
    await deleteAccountData(this.#db(), accountId);
    await this.refreshAccounts();
    // another diary on this device is shown next, not the first-run screen
    const next = this.#accountId ? null : this.#accounts[0];
    if (next) await this.switchTo(next.accountId);
  }
}

export const session = new Session();

/** A ready client, or null before the app knows where Spotify is. */
export function spotifyClient(): SpotifyClient | null {
  return session.client();
}

/** The account whose diary is shown. */
export function activeAccountId(): string | null {
  return session.accountId;
}
