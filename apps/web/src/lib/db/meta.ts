// Small facts kept beside the diary: settings, cursors, the cached server
// config. Keys are `${accountId}:${name}` for one account's facts and
// `device:${name}` for the device's.
import type { TimeMachineDb } from './schema';

/** Account meta: a new random value at every write of the account's plays (db/plays.ts). */
export const PLAYS_REVISION = 'playsRevision';
/** Account meta: the diary timeline last computed, with the stamp it was computed for. */
export const TIMELINE_CACHE = 'timelineCache';
/** Account meta: the diary at a glance (streams per day, month tops) last computed, with its stamp. */
export const GLANCE_CACHE = 'glanceCache';

/**
 * Account meta that only mirrors other rows: a backup neither carries it nor
 * takes it from a file, or a device could believe a cache made elsewhere.
 */
export function isDerivedMeta(name: string): boolean {
  return name === PLAYS_REVISION || name === TIMELINE_CACHE || name === GLANCE_CACHE;
}

export function accountKey(accountId: string, name: string): string {
  return `${accountId}:${name}`;
}

export function deviceKey(name: string): string {
  return `device:${name}`;
}

export async function readMeta<T>(db: TimeMachineDb, key: string): Promise<T | undefined> {
  const row = await db.meta.get(key);
  return row?.value as T | undefined;
}

export async function writeMeta(db: TimeMachineDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

export async function deleteMeta(db: TimeMachineDb, key: string): Promise<void> {
  await db.meta.delete(key);
}
