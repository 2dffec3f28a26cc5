// Small facts kept beside the diary: settings, cursors, the cached server
// config. Keys are `${accountId}:${name}` for one account's facts and
// `device:${name}` for the device's.
import type { TimeMachineDb } from './schema';

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
