// Syncing one account's diary with the person's other devices through the
// relay (issue 13). One run: receive what the relay holds after this
// device's cursor (opening, checking and applying each record in its own
// transaction), then send each record where this device holds something the
// relay's copy lacks (records.ts has the rule), then, after a new key, delete
// the copies sealed with the old one.
//
// Order matters, and so does what is saved when:
// - The cursor is saved after each page, never before the page's records
//   are applied: a run cut short receives the page again, and applying a
//   record twice changes nothing (it is a union).
// - A record that fails its check stops the run before anything of it is
//   written, with its code (wrong key, tampered, newer app); the cursor stays
//   before it.
// - A record sealed under a newer key generation stops the run too
//   (SYNC_KEY_CHANGED): this device was removed, or must be given the new key,
//   and it must not send under the old one meanwhile.
// - After a new key, the old generation is deleted only once every record has
//   been sent under the new one, so the relay never holds less than the diary.
//
// The settings record is the one that is not a union: each setting takes its
// last change, dated when the person made it (db/settings.ts). A change made
// by a build before those dates and never sent is dated first, at the run
// that sees it, as that build did (#dateOldChanges).
import type { TimeMachineDb } from '../db/schema';
import { dateUndatedChanges, mergeReceivedSettings, type AccountSettings } from '../db/settings';
import {
  applyReceivedMonth,
  applyReceivedPushes,
  readSyncedDiary,
  type ReceivedMonth,
} from '../db/sync-records';
import {
  loadSyncState,
  saveSyncState,
  deleteSyncState,
  type DeviceSyncState,
  type LastDeviceSync,
} from '../db/sync-state';
import { DeviceSyncError } from './device-sync-error';
import { openRecord, sealRecord, type SealedRecord } from './record-crypto';
import {
  cutIntoRecords,
  kindOf,
  monthToUpload,
  pushesName,
  pushesToUpload,
  settingsName,
  settingsToUpload,
  type PushesContent,
  type SettingsContent,
} from './records';
import {
  contentHash,
  decodeMonth,
  decodePushes,
  decodeSettings,
  encodeMonth,
  encodePushes,
  encodeSettings,
} from './payloads';
import { RELAY_LIMITS, type Relay } from './relay-client';
import { codeToKey, deriveKeys, keyToCode, newRawKey, toHex, type SyncKeys } from './sync-key';

const PAGE = 500;

export interface DeviceSyncProgress {
  step: 'receiving' | 'sending';
  /** Records so far. */
  done: number;
  /** Bytes so far, and of how many when known (a first download asks). */
  bytes: number;
  totalBytes: number | null;
  /** Estimated time left, once enough has arrived to tell. */
  remainingMs: number | null;
}

export interface EngineDeps {
  db: TimeMachineDb;
  relay: Relay;
  accountId: string;
  now: () => number;
  onProgress?: (p: DeviceSyncProgress) => void;
}

const utf8 = new TextEncoder();
const sha256 = async (text: string) =>
  toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', utf8.encode(text))));
const bodyBytes = (b64: string) => Math.floor((b64.length * 3) / 4);

function freshState(accountId: string, keys: SyncKeys, now: number): DeviceSyncState {
  return { accountId, keys, cursor: 0, marks: {}, settings: null, since: now, last: null };
}

interface RunOptions {
  /** A joining device saves nothing until a record has opened with its key. */
  saveFromStart: boolean;
  totalBytes?: number | null;
}

type Received =
  { kind: 'month'; content: ReceivedMonth } | { kind: 'pushes'; content: PushesContent };

interface Outgoing {
  name: string;
  data: unknown;
  /** Hash of what is sent (the relay's copy once it lands). */
  hash: string;
  /** Hash of this device's own content, covered once this lands. */
  covered: string;
  /** The settings sent, when this is the settings record: the relay's copy once it lands. */
  settings?: SettingsContent;
}

class Run {
  readonly result: LastDeviceSync = {
    at: 0,
    received: 0,
    plays: 0,
    snapshots: 0,
    sent: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
  #saving: boolean;
  #started: number;
  /** The relay's copies received in this run, by name: the upload rule compares with them. */
  #seen = new Map<string, Received>();
  #stale = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly state: DeviceSyncState,
    private readonly opts: RunOptions,
  ) {
    this.#saving = opts.saveFromStart;
    this.#started = deps.now();
  }

  async go(): Promise<LastDeviceSync> {
    await this.#dateOldChanges();
    await this.#receive();
    await this.#send();
    const { relay, db, now } = this.deps;
    const state = this.state;
    if (this.#stale || state.rotatedFrom !== undefined) {
      // every record is on the relay under this key now: the old ones can go
      await relay.deleteBelow(state.keys.epoch);
      delete state.rotatedFrom;
    }
    this.result.at = now();
    state.last = { ...this.result };
    await saveSyncState(db, state);
    return this.result;
  }

  /**
   * A build before settings had times left the settings it last agreed with
   * the relay, and when: a setting changed since then is dated now, the time
   * that build would have given it, before anything received can outrank
   * it. The relay's copy is that agreement, dated as that build dated it.
   */
  async #dateOldChanges(): Promise<void> {
    const { db, accountId, now } = this.deps;
    const state = this.state;
    if (state.settings === null) return;
    const agreed = JSON.parse(state.settings.json) as AccountSettings;
    await dateUndatedChanges(db, accountId, agreed, now());
    const at = state.settings.updatedAt;
    state.settingsSeen ??= { settings: agreed, updatedAt: { cadence: at, timeZone: at } };
    state.settings = null;
  }

  #progress(step: DeviceSyncProgress['step'], done: number, bytes: number): void {
    const total = step === 'receiving' ? (this.opts.totalBytes ?? null) : null;
    const elapsed = this.deps.now() - this.#started;
    const share = total && total > 0 ? Math.min(1, bytes / total) : 0;
    this.deps.onProgress?.({
      step,
      done,
      bytes,
      totalBytes: total,
      remainingMs: share >= 0.02 ? Math.round((elapsed * (1 - share)) / share) : null,
    });
  }

  async #receive(): Promise<void> {
    const { relay, db } = this.deps;
    const state = this.state;
    const keys = state.keys;
    const byId = new Map(Object.entries(state.marks).map(([name, m]) => [m.id, name]));
    for (;;) {
      const page = await relay.list(state.cursor, PAGE);
      for (const r of page.records) {
        if (r.epoch > keys.epoch)
          throw new DeviceSyncError(
            'SYNC_KEY_CHANGED',
            `the relay holds key generation ${r.epoch}; this device has ${keys.epoch}`,
          );
        if (r.epoch < keys.epoch) {
          this.#stale = true;
          continue;
        }
        this.result.bytesIn += bodyBytes(r.body);
        const body = await sha256(r.body);
        const known = byId.get(r.id);
        // our own upload coming back, or a delivery received before
        if (known !== undefined && state.marks[known]?.body === body) continue;
        const opened = await openRecord(keys, r);
        this.#saving = true;
        const name = opened.name;
        const hash = await this.#apply(name, opened.data);
        if (hash === null) continue;
        state.marks[name] = { id: r.id, relay: hash, covered: null, body };
        byId.set(r.id, name);
        this.result.received++;
        this.#progress('receiving', this.result.received, this.result.bytesIn);
      }
      state.cursor = Math.max(state.cursor, page.cursor);
      if (this.#saving) await saveSyncState(db, state);
      if (!page.more) return;
    }
  }

  /** Applies one opened record; returns the hash of the relay's copy, or null when ignored. */
  async #apply(name: string, data: unknown): Promise<string | null> {
    const { db, accountId, now } = this.deps;
    switch (kindOf(name, accountId)) {
      case 'month': {
        const content = decodeMonth(name, accountId, data);
        const applied = await applyReceivedMonth(db, accountId, content, now);
        this.result.plays += applied.plays;
        this.result.snapshots += applied.snapshots;
        this.#seen.set(name, { kind: 'month', content });
        return contentHash(encodeMonth(accountId, content));
      }
      case 'pushes': {
        const content = decodePushes(accountId, data);
        await applyReceivedPushes(db, accountId, content.entries);
        this.#seen.set(name, { kind: 'pushes', content });
        return contentHash(encodePushes(content));
      }
      case 'settings': {
        const content = decodeSettings(data);
        // a device that never agreed settings with the others takes theirs
        // over its own undated ones (a new device's defaults, say)
        const joining = this.state.settingsSeen === undefined;
        await mergeReceivedSettings(db, accountId, content, joining);
        this.state.settingsSeen = content;
        return contentHash(encodeSettings(content));
      }
      default:
        // a kind a newer app writes (its name is authentic: it opened with our key)
        return null;
    }
  }

  async #send(): Promise<void> {
    const { db, accountId } = this.deps;
    const state = this.state;
    const local = cutIntoRecords(await readSyncedDiary(db, accountId), accountId);
    const out: Outgoing[] = [];
    const consider = async <T>(
      name: string,
      content: T,
      encode: (c: T) => unknown,
      toUpload: (local: T, relay: T | undefined) => T | null,
      relay: T | undefined,
    ): Promise<Outgoing | null> => {
      const data = encode(content);
      const hash = await contentHash(data);
      const mark = state.marks[name];
      if (mark && (hash === mark.relay || hash === mark.covered)) return null;
      const up = toUpload(content, relay);
      if (up === null) {
        if (mark) mark.covered = hash;
        return null;
      }
      const upData = up === content ? data : encode(up);
      const o: Outgoing = {
        name,
        data: upData,
        hash: up === content ? hash : await contentHash(upData),
        covered: hash,
      };
      out.push(o);
      return o;
    };
    for (const [name, month] of local.months) {
      const seen = this.#seen.get(name);
      await consider(
        name,
        month,
        (m) => encodeMonth(accountId, m),
        monthToUpload,
        seen?.kind === 'month' ? seen.content : undefined,
      );
    }
    const pushes = pushesName(accountId);
    if (local.pushes.entries.length > 0 || state.marks[pushes]) {
      const seen = this.#seen.get(pushes);
      await consider(
        pushes,
        local.pushes,
        encodePushes,
        pushesToUpload,
        seen?.kind === 'pushes' ? seen.content : undefined,
      );
    }
    const settingsRecord = settingsName(accountId);
    let settings: SettingsContent | null = null;
    const sending = await consider(
      settingsRecord,
      local.settings,
      encodeSettings,
      // no record under this key yet (a new key): the latest of each goes up
      // even when the copy last seen under the old key held them all
      (mine, relay) =>
        (settings = settingsToUpload(mine, relay) ?? (state.marks[settingsRecord] ? null : relay!)),
      state.settingsSeen,
    );
    if (sending && settings) sending.settings = settings;
    await this.#put(out);
  }

  /** Seals and sends, in requests the relay takes, saving the marks after each. */
  async #put(out: Outgoing[]): Promise<void> {
    const { relay, db } = this.deps;
    const state = this.state;
    let batch: { o: Outgoing; sealed: SealedRecord }[] = [];
    let size = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      const before = state.cursor;
      const res = await relay.put(batch.map((b) => b.sealed));
      for (const { o, sealed } of batch) {
        state.marks[o.name] = {
          id: sealed.id,
          relay: o.hash,
          covered: o.covered,
          body: await sha256(sealed.body),
        };
        if (o.settings) state.settingsSeen = o.settings;
        this.result.sent++;
        this.result.bytesOut += sealed.bytes;
      }
      // nobody else wrote in between: no need to receive our own records back
      if (res.cursor === before + batch.length) state.cursor = res.cursor;
      await saveSyncState(db, state);
      this.#progress('sending', this.result.sent, this.result.bytesOut);
      batch = [];
      size = 0;
    };
    for (const o of out) {
      const sealed = await sealRecord(state.keys, o.name, o.data);
      const weight = sealed.body.length + 100;
      if (batch.length >= RELAY_LIMITS.recordsPerPut || size + weight > RELAY_LIMITS.requestBytes)
        await flush();
      batch.push({ o, sealed });
      size += weight;
    }
    await flush();
  }
}

/** One run for an account with sync on; null when it is off on this device. */
export async function syncDevice(deps: EngineDeps): Promise<LastDeviceSync | null> {
  const state = await loadSyncState(deps.db, deps.accountId);
  if (!state) return null;
  const totalBytes = state.cursor === 0 ? (await deps.relay.status()).bytes : null;
  return new Run(deps, state, { saveFromStart: true, totalBytes }).go();
}

/**
 * Turns sync on with a new key and returns its code, to be shown once. The
 * first run (which sends the whole diary) is the caller's next step. Refused
 * when the relay already holds a copy: that copy belongs to a key another
 * device has, and this one should join it instead.
 */
export async function turnOnSync(deps: EngineDeps): Promise<string> {
  const status = await deps.relay.status();
  if (status.records > 0)
    throw new DeviceSyncError(
      'SYNC_ALREADY_ON',
      'the relay already holds a copy of this account made with another key',
    );
  const raw = newRawKey();
  const keys = await deriveKeys(raw, 0);
  await saveSyncState(deps.db, freshState(deps.accountId, keys, deps.now()));
  return keyToCode(raw);
}

/**
 * Adds this device with a code from another: the whole diary arrives and
 * merges with what is here, and what only this device had goes up. Nothing
 * is saved, the key included, until a record has opened with it.
 */
export async function joinSync(deps: EngineDeps, code: string): Promise<LastDeviceSync> {
  const raw = await codeToKey(code);
  const status = await deps.relay.status();
  if (status.records === 0 || status.epoch === null)
    throw new DeviceSyncError('SYNC_NOTHING_TO_JOIN', 'the relay holds no copy of this account');
  const keys = await deriveKeys(raw, status.epoch);
  const state = freshState(deps.accountId, keys, deps.now());
  return new Run(deps, state, { saveFromStart: false, totalBytes: status.bytes }).go();
}

/**
 * Removes a device: a new key, one generation up, returned as a code for the
 * devices that stay. This device first receives what the others sent, so
 * nothing is left behind under the old key; the caller's next run sends
 * every record under the new key and then deletes the old generation. The
 * removed device can open nothing sealed from now on.
 */
export async function rotateKey(deps: EngineDeps): Promise<string> {
  const state = await loadSyncState(deps.db, deps.accountId);
  if (!state) throw new Error('sync is off on this device');
  await new Run(deps, state, { saveFromStart: true }).go();
  const raw = newRawKey();
  const keys = await deriveKeys(raw, state.keys.epoch + 1);
  await saveSyncState(deps.db, {
    ...freshState(deps.accountId, keys, state.since),
    cursor: state.cursor,
    settings: state.settings,
    ...(state.settingsSeen && { settingsSeen: state.settingsSeen }),
    last: state.last,
    rotatedFrom: state.keys.epoch,
  });
  return keyToCode(raw);
}

/** Deletes every record of this account from the relay, and turns sync off here. */
export async function deleteServerCopy(deps: EngineDeps): Promise<number> {
  const deleted = await deps.relay.deleteAll();
  await deleteSyncState(deps.db, deps.accountId);
  return deleted;
}

/** Sync off on this device only; the relay's copy and the other devices carry on. */
export async function turnOffSync(deps: Pick<EngineDeps, 'db' | 'accountId'>): Promise<void> {
  await deleteSyncState(deps.db, deps.accountId);
}
