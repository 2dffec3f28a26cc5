import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';

export interface AccountSettings {
  /** Take new snapshots when the last one is at least this old. */
  cadenceDays: number;
  /** IANA zone the diary's months are cut in; null = the device's zone. */
  timeZone: string | null;
}

export const DEFAULT_SETTINGS: AccountSettings = { cadenceDays: 7, timeZone: null };
export const CADENCE_CHOICES = [1, 7, 14, 30] as const;

const KEY = 'settings';

export async function loadSettings(db: TimeMachineDb, accountId: string): Promise<AccountSettings> {
  const stored = await readMeta<Partial<AccountSettings>>(db, accountKey(accountId, KEY));
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveSettings(db: TimeMachineDb, accountId: string, patch: Partial<AccountSettings>): Promise<AccountSettings> {
  return db.transaction('rw', db.meta, async () => {
    const next = { ...(await loadSettings(db, accountId)), ...patch };
    if (!Number.isFinite(next.cadenceDays) || next.cadenceDays < 1) throw new RangeError('cadenceDays must be at least 1');
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
