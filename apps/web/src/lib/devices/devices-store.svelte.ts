// Settings › Devices: whether sync is on for the diary shown, what the last
// run moved, and the person's intents (turn on, add this device, remove a
// device, delete the server's copy). The runs themselves belong to the app's
// one DeviceSync; this store reads the account's sync state from lib/db and
// keeps what only this page shows: the key, once, and the question asked
// before something cannot be undone.
import { AccountStore } from '../app/account-store.svelte';
import type { AppContext, DiaryScope } from '../app/app-context.svelte';
import { loadSyncState, type LastDeviceSync } from '../db/sync-state';
import { DeviceSyncError, type DeviceSyncErrorCode } from './device-sync-error';
import { deviceSync, type DeviceSync } from './device-sync.svelte';
import { errorWords, lastSyncWords, progressWords } from './device-sync-words';

export interface DevicesView {
  on: boolean;
  /** When sync was turned on (or this device added). */
  since: number | null;
  /** The key generation: moves each time a device is removed. */
  epoch: number | null;
  last: LastDeviceSync | null;
}

/** What the page asks before doing something that cannot be undone. */
export type DevicesQuestion = 'remove-device' | 'delete-server-copy' | 'turn-off';

/** The status line's state, as `data-state` says it. */
export type StatusState = 'idle' | 'syncing' | 'error';

export class DevicesStore extends AccountStore<DevicesView> {
  #sync: DeviceSync;
  /** The key's code, shown once: after turning sync on or removing a device. */
  #key = $state<string | null>(null);
  #busy = $state(false);
  /** The failure of something the person just asked for. */
  #failed = $state<DeviceSyncErrorCode | null>(null);
  #question = $state<DevicesQuestion | null>(null);
  #done = $state('');

  constructor(sync: DeviceSync = deviceSync(), context?: AppContext) {
    super(context);
    this.#sync = sync;
  }

  protected async read({ db, accountId }: DiaryScope): Promise<DevicesView> {
    const state = await loadSyncState(db, accountId);
    return {
      on: state !== null,
      since: state?.since ?? null,
      epoch: state?.keys.epoch ?? null,
      last: state?.last ?? null,
    };
  }

  get on(): boolean {
    return this.data?.on ?? false;
  }
  /** Known to be off on this device (false while loading). */
  get off(): boolean {
    return this.data !== null && !this.data.on;
  }
  /** Off, or the copy on the server now has another key: the page asks for one. */
  get needsKey(): boolean {
    const code = this.#failed ?? this.#sync.errorCode;
    return this.off || code === 'SYNC_KEY_CHANGED' || (this.on && code === 'SYNC_WRONG_KEY');
  }
  get key(): string | null {
    return this.#key;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** The code of what the person last asked for, when it failed. */
  get failed(): DeviceSyncErrorCode | null {
    return this.#failed;
  }
  get question(): DevicesQuestion | null {
    return this.#question;
  }
  /** A short confirmation of what was just done, for the live region. */
  get done(): string {
    return this.#done;
  }

  get statusState(): StatusState {
    if (this.#failed) return 'error';
    const phase = this.#sync.phase;
    return phase === 'syncing' ? 'syncing' : phase === 'error' ? 'error' : 'idle';
  }

  get statusLine(): string {
    if (this.#failed) return errorWords(this.#failed, null);
    const s = this.#sync;
    if (s.phase === 'syncing')
      return s.progress ? progressWords(s.progress) : 'Syncing with your other devices …';
    if (s.phase === 'error' && s.errorCode) return errorWords(s.errorCode, s.retryAt);
    const last = s.last ?? this.data?.last ?? null;
    if (!this.on) return 'Sync is off on this device.';
    return last ? lastSyncWords(last) : 'Sync is on. The first sync starts in a moment.';
  }

  /** Runs finished on this page (the status line's `data-runs`). */
  get runs(): number {
    return this.#sync.runs;
  }

  /** Keeps the app's device sync running while the page (or the app) is open. */
  startSync(): () => void {
    return this.#sync.start();
  }

  ask(q: DevicesQuestion | null): void {
    this.#question = q;
  }

  hideKey(): void {
    this.#key = null;
  }

  async turnOn(): Promise<void> {
    await this.#act(async () => {
      this.#key = await this.#sync.turnOn();
      this.#done = 'Sync is on. Copy or scan the key now: it is shown only this once.';
    });
  }

  async join(code: string): Promise<void> {
    await this.#act(async () => {
      const last = await this.#sync.join(code);
      this.#done = `This device is added. ${lastSyncWords(last)}`;
    });
  }

  async removeDevice(): Promise<void> {
    this.#question = null;
    await this.#act(async () => {
      this.#key = await this.#sync.removeDevice();
      this.#done =
        'A new key is made. Enter it on each device you keep; the removed one can no longer read new data.';
    });
  }

  async deleteServerCopy(): Promise<void> {
    this.#question = null;
    await this.#act(async () => {
      const n = await this.#sync.deleteServerCopy();
      this.#key = null;
      this.#done = `The copy on the server is deleted (${n} ${n === 1 ? 'part' : 'parts'}). Sync is off on this device; your diary here is untouched.`;
    });
  }

  async turnOff(): Promise<void> {
    this.#question = null;
    await this.#act(async () => {
      await this.#sync.turnOff();
      this.#key = null;
      this.#done =
        'Sync is off on this device. The copy on the server and your other devices carry on.';
    });
  }

  syncNow(): void {
    this.#failed = null;
    void this.#sync.request();
  }

  async #act(fn: () => Promise<void>): Promise<void> {
    this.#busy = true;
    this.#failed = null;
    this.#done = '';
    try {
      await fn();
    } catch (e) {
      this.#failed = e instanceof DeviceSyncError ? e.code : 'SYNC_UNAVAILABLE';
      if (!(e instanceof DeviceSyncError)) console.warn('devices: unexpected failure', e);
    } finally {
      this.#busy = false;
      // on or off, the last run: this page reads again (a join that brought
      // rows has told every page already)
      await this.load(this.context.scope ?? null, undefined);
    }
  }
}
