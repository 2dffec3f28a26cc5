import { CADENCES, DEFAULT_CADENCE, type CadenceName } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';

export interface AccountSettings {
  /** Take new snapshots when the last one is at least this old (core's CADENCES). */
  cadence: CadenceName;
  /** IANA zone the diary's months are cut in; null = the device's zone. */
  timeZone: string | null;
}

export const DEFAULT_SETTINGS: AccountSettings = { cadence: DEFAULT_CADENCE, timeZone: null };

const KEY = 'settings';

export async function loadSettings(db: TimeMachineDb, accountId: string): Promise<AccountSettings> {
  const stored = await readMeta<Partial<AccountSettings>>(db, accountKey(accountId, KEY));
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveSettings(
  db: TimeMachineDb,
  accountId: string,
  patch: Partial<AccountSettings>,
): Promise<AccountSettings> {
  return db.transaction('rw', db.meta, async () => {
    const next = { ...(await loadSettings(db, accountId)), ...patch };
    if (!(next.cadence in CADENCES))
      throw new RangeError(`unknown cadence ${String(next.cadence)}`);
    if (next.timeZone !== null) new Intl.DateTimeFormat('en', { timeZone: next.timeZone }); // throws RangeError for an unknown zone
    await writeMeta(db, accountKey(accountId, KEY), next);
    return next;
  });
}

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function effectiveTimeZone(settings: AccountSettings): string {
  return settings.timeZone ?? deviceTimeZone();
}
