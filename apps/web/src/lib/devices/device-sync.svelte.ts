// The app's one sync with the person's other devices: when it runs, one at a
// time, and what the status line shows. Loaded lazily (the settings page and
// the root layout import it), never in the diary's first load.
//
// When it runs, for the account shown, only while sync is on for it: once
// when started (the app's open), whenever the app context's revision moves
// (a finished Spotify sync, an import, a restored backup: AppContext turns
// each into dataChanged(), so one signal covers them all), on the `online`
// event, and again by itself after a failure that goes away (offline, the
// relay busy or asking to wait). Requests during a run make one more run
// after it, not one each. A run that received something announces it with
// dataChanged(), and the revision it caused is not taken as a new request.
import { untrack } from 'svelte';
import { app, type AppContext } from '../app/app-context.svelte';
import { session } from '../spotify/session.svelte';
import { loadSyncState, type LastDeviceSync } from '../db/sync-state';
import { DeviceSyncError, type DeviceSyncErrorCode } from './device-sync-error';
import {
  deleteServerCopy,
  joinSync,
  rotateKey,
  syncDevice,
  turnOffSync,
  turnOnSync,
  type DeviceSyncProgress,
  type EngineDeps,
} from './engine';
import { createRelayClient, type Relay } from './relay-client';

export type DeviceSyncPhase = 'off' | 'idle' | 'syncing' | 'error';

export interface DeviceSyncEnv {
  context: Pick<AppContext, 'db' | 'accountId' | 'scope' | 'dataChanged'>;
  /** The Spotify account the server's session belongs to (the relay's namespace). */
  connectedAccount(): Promise<string>;
  relay: Relay;
  now: () => number;
}

/** Waits before trying again after a failure that goes away by itself. */
const RETRY_MS = [30_000, 120_000, 600_000];

function asSyncError(e: unknown): DeviceSyncError {
  if (e instanceof DeviceSyncError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  // what asking Spotify who is connected can throw (session.connectedAccount)
  if (code === 'AUTH_EXPIRED')
    return new DeviceSyncError('AUTH_EXPIRED', 'connect again', { cause: e });
  if (e instanceof TypeError || code === 'NETWORK')
    return new DeviceSyncError('NETWORK', 'offline', { cause: e });
  if (code === 'UPSTREAM' || code === 'RATE_LIMITED')
    return new DeviceSyncError('SYNC_UNAVAILABLE', 'Spotify did not answer', { cause: e });
  throw e;
}

export class DeviceSync {
  #env: () => DeviceSyncEnv;
  #phase = $state<DeviceSyncPhase>('idle');
  #errorCode = $state<DeviceSyncErrorCode | null>(null);
  #retryAt = $state<number | null>(null);
  #progress = $state.raw<DeviceSyncProgress | null>(null);
  #last = $state.raw<LastDeviceSync | null>(null);
  #runs = $state(0);
  #queue: Promise<unknown> = Promise.resolve();
  #current: Promise<void> | null = null;
  #again = false;
  #failures = 0;
  #retry: ReturnType<typeof setTimeout> | null = null;
  #ownRevision: number | null = null;
  #stop: (() => void) | null = null;

  constructor(env: () => DeviceSyncEnv) {
    this.#env = env;
  }

  get phase(): DeviceSyncPhase {
    return this.#phase;
  }
  get errorCode(): DeviceSyncErrorCode | null {
    return this.#errorCode;
  }
  /** When a failed run will be tried again by itself. */
  get retryAt(): number | null {
    return this.#retryAt;
  }
  get progress(): DeviceSyncProgress | null {
    return this.#progress;
  }
  get last(): LastDeviceSync | null {
    return this.#last;
  }
  /** Runs finished on this page, well or not: a test waits for the next one. */
  get runs(): number {
    return this.#runs;
  }

  /** Starts following the app (once; later calls return the same stop). */
  start(): () => void {
    if (this.#stop) return this.#stop;
    const stopEffect = $effect.root(() => {
      $effect(() => {
        const scope = this.#env().context.scope;
        untrack(() => this.noticeScope(scope));
      });
    });
    const online = () => void this.request();
    if (typeof window !== 'undefined') window.addEventListener('online', online);
    this.#stop = () => {
      stopEffect();
      if (typeof window !== 'undefined') window.removeEventListener('online', online);
      if (this.#retry) clearTimeout(this.#retry);
      this.#stop = null;
    };
    return this.#stop;
  }

  /**
   * The app context moved (start, another account, a change announced): a
   * run, unless the move is the announcement of this sync's own last run.
   * Public for tests: effects do not run under Node.
   */
  noticeScope(scope: { revision: number } | null): void {
    if (!scope || scope.revision === this.#ownRevision) return;
    void this.request();
  }

  /** Resolves once no run is under way or asked for. */
  async whenIdle(): Promise<void> {
    while (this.#current) await this.#current;
  }

  /** A run soon: now, or right after the one under way. Never throws. */
  async request(): Promise<void> {
    if (this.#current) {
      this.#again = true;
      return;
    }
    this.#current = (async () => {
      try {
        do {
          this.#again = false;
          await this.#exclusive(() => this.#background());
        } while (this.#again);
      } finally {
        this.#current = null;
      }
    })();
    await this.#current;
  }

  /** Turns sync on and returns the key's code (shown once); the first run follows. */
  async turnOn(): Promise<string> {
    const code = await this.#job((deps) => turnOnSync(deps));
    void this.request();
    return code;
  }

  /** Adds this device with a code; resolves once the whole diary has arrived. */
  async join(code: string): Promise<LastDeviceSync> {
    return this.#job(async (deps) => {
      const last = await joinSync(deps, code);
      this.#received(last);
      return last;
    }, true);
  }

  /** Removes a device: returns the new key's code; the run that reseals everything follows. */
  async removeDevice(): Promise<string> {
    const code = await this.#job((deps) => rotateKey(deps), true);
    void this.request();
    return code;
  }

  async deleteServerCopy(): Promise<number> {
    return this.#job((deps) => deleteServerCopy(deps));
  }

  async turnOff(): Promise<void> {
    await this.#exclusive(async () => {
      const { context } = this.#env();
      if (context.accountId) await turnOffSync({ db: context.db, accountId: context.accountId });
      this.#settle('off');
    });
  }

  /**
   * One job at a time, across this page and other tabs (a Web Lock where the
   * browser has them): two runs must not read the cursor and write it back
   * over each other.
   */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    const run = () => (locks ? locks.request('mtm-device-sync', fn) : fn());
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  /** What the engine needs for the account shown, once it is the one the session is for. */
  async #deps(): Promise<EngineDeps> {
    const env = this.#env();
    const accountId = env.context.accountId;
    if (!accountId) throw new Error('no diary is shown');
    let connected: string;
    try {
      connected = await env.connectedAccount();
    } catch (e) {
      throw asSyncError(e);
    }
    if (connected !== accountId)
      throw new DeviceSyncError(
        'SYNC_OTHER_ACCOUNT',
        'the diary shown is not the account this browser is connected as',
      );
    return {
      db: env.context.db,
      relay: env.relay,
      accountId,
      now: env.now,
      onProgress: (p) => (this.#progress = p),
    };
  }

  /** A job the person asked for: its failure is theirs to see, and thrown. */
  async #job<T>(fn: (deps: EngineDeps) => Promise<T>, shows = false): Promise<T> {
    return this.#exclusive(async () => {
      if (shows) this.#phase = 'syncing';
      try {
        const out = await fn(await this.#deps());
        this.#settle('idle');
        return out;
      } catch (e) {
        // a refused join or key leaves the state as it was
        const state = await this.#isOn();
        this.#settle(state ? 'idle' : 'off');
        throw e;
      }
    });
  }

  async #isOn(): Promise<boolean> {
    const { context } = this.#env();
    return !!context.accountId && (await loadSyncState(context.db, context.accountId)) !== null;
  }

  async #background(): Promise<void> {
    if (!(await this.#isOn())) {
      this.#settle('off');
      return;
    }
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#retryAt = null;
    this.#phase = 'syncing';
    try {
      const last = await syncDevice(await this.#deps());
      if (!last) return this.#settle('off');
      this.#failures = 0;
      this.#received(last);
      this.#settle('idle');
    } catch (e) {
      let err: DeviceSyncError;
      try {
        err = asSyncError(e);
      } catch {
        console.warn('device sync failed', e);
        err = new DeviceSyncError('SYNC_UNAVAILABLE', 'unexpected failure', { cause: e });
      }
      this.#progress = null;
      this.#runs++;
      this.#phase = 'error';
      this.#errorCode = err.code;
      if (err.retryable) {
        const wait = err.retryAfterMs ?? RETRY_MS[Math.min(this.#failures, RETRY_MS.length - 1)]!;
        this.#failures++;
        this.#retryAt = this.#env().now() + wait;
        this.#retry = setTimeout(() => void this.request(), wait);
      }
    }
  }

  #received(last: LastDeviceSync): void {
    this.#last = last;
    if (last.received === 0) return;
    const { context } = this.#env();
    context.dataChanged();
    this.#ownRevision = context.scope?.revision ?? null;
  }

  #settle(phase: 'idle' | 'off'): void {
    this.#runs++;
    this.#phase = phase;
    this.#progress = null;
    this.#errorCode = null;
    this.#retryAt = null;
  }
}

let shared: DeviceSync | null = null;

/** The app's one device sync, on the app's own context and session. */
export function deviceSync(): DeviceSync {
  if (!shared) {
    const relay = createRelayClient();
    shared = new DeviceSync(() => ({
      context: app,
      connectedAccount: () => session.connectedAccount(),
      relay,
      now: Date.now,
    }));
  }
  return shared;
}
