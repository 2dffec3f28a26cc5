// What this device remembers about syncing one account with its other
// devices (issue 13; lib/devices is the feature): the keys, how far it has
// read the relay, and for each record what the relay's copy held when last
// seen. One meta row per account under the device's prefix: a backup carries
// account meta, and neither a key nor a cursor may travel in a file, so the
// row is `device:deviceSync:<accountId>`, which backups leave out.
//
// The keys are CryptoKeys made non-extractable (lib/devices/sync-key.ts);
// IndexedDB stores them as they are (they are structured-cloneable), and no
// code can read their bits back out.
import type { TimeMachineDb } from './schema';
import { deleteMeta, deviceKey, readMeta, writeMeta } from './meta';
import type { StampedSettings } from './settings';

export interface StoredSyncKeys {
  epoch: number;
  seal: CryptoKey;
  name: CryptoKey;
  check: string;
}

/**
 * One record as this device last knew the relay's copy. Hashes are SHA-256
 * of the record's canonical content (lib/devices/records.ts), never of the
 * ciphertext, which changes at every seal.
 */
export interface RecordMark {
  /** The id the relay knows the record by (an HMAC of its name). */
  id: string;
  /** The relay's copy, as last received or sent. */
  relay: string;
  /**
   * This device's own content when it was last found to hold nothing the
   * relay's copy lacks (it may differ: a worse row of a listen replaced by a
   * better one), so the same content is not checked, or sent, again.
   */
  covered: string | null;
  /** SHA-256 of the last body sent or received: our own upload coming back is skipped. */
  body: string | null;
}

export interface LastDeviceSync {
  at: number;
  /** Records applied from other devices, and plays and snapshots they added. */
  received: number;
  plays: number;
  snapshots: number;
  /** Records sent. */
  sent: number;
  bytesIn: number;
  bytesOut: number;
}

export interface DeviceSyncState {
  accountId: string;
  keys: StoredSyncKeys;
  /** The relay's sequence number this device has read up to. */
  cursor: number;
  /** By logical name ("plays/<account>/2024-03"). */
  marks: Record<string, RecordMark>;
  /**
   * Left by a build before settings had times (db/settings.ts): the settings
   * as last agreed with the relay, and when that build dated them. Read once,
   * to date a change made since and not sent, then null.
   */
  settings: { json: string; updatedAt: number } | null;
  /**
   * The relay's copy of the settings as last received or sent: a device
   * sends its settings only when it holds a later change than that copy.
   */
  settingsSeen?: StampedSettings;
  since: number;
  last: LastDeviceSync | null;
  /**
   * Set by a new key (removing a device) until every record has been sent
   * under it; then the records of older generations are deleted.
   */
  rotatedFrom?: number;
}

const key = (accountId: string) => deviceKey(`deviceSync:${accountId}`);

/** The account's sync state, or null when sync is off for it on this device. */
export async function loadSyncState(
  db: TimeMachineDb,
  accountId: string,
): Promise<DeviceSyncState | null> {
  const state = await readMeta<DeviceSyncState>(db, key(accountId));
  return state && state.accountId === accountId ? state : null;
}

export async function saveSyncState(db: TimeMachineDb, state: DeviceSyncState): Promise<void> {
  await writeMeta(db, key(state.accountId), state);
}

/** Sync off on this device: the keys and the marks go; the diary stays. */
export async function deleteSyncState(db: TimeMachineDb, accountId: string): Promise<void> {
  await deleteMeta(db, key(accountId));
}
