// One account's settings, and when each was last changed.
//
// The times are for the device sync (issue 13), where the person's devices
// merge their settings by last writer, one setting at a time: a cadence
// chosen on the phone and a time zone chosen on the laptop both stay. A
// change is dated when the person makes it, not when a sync run first sees
// it, so a change made earlier but synced later does not win. The times live
// inside the settings' own meta row (no schema change), beside the values.
//
// A row written by a build before these times has none: each setting then
// reads as changed at 0, older than any dated change. lib/devices/engine.ts
// dates a change such a build made and never sent (the old rule, the time of
// the run that sees it) before it merges anything.
import { CADENCES, DEFAULT_CADENCE, type CadenceName } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';

export interface AccountSettings {
  /** Take new snapshots when the last one is at least this old (core's CADENCES). */
  cadence: CadenceName;
  /** IANA zone the diary's months are cut in; null = the device's zone. */
  timeZone: string | null;
}

export type SettingName = keyof AccountSettings;
export const SETTING_NAMES: readonly SettingName[] = ['cadence', 'timeZone'];

/** When each setting was last changed, on this device or another (ms); 0 = not known. */
export type SettingsUpdatedAt = Record<SettingName, number>;

export interface StampedSettings {
  settings: AccountSettings;
  updatedAt: SettingsUpdatedAt;
}

export const DEFAULT_SETTINGS: AccountSettings = { cadence: DEFAULT_CADENCE, timeZone: null };

const KEY = 'settings';

type StoredSettings = Partial<AccountSettings> & { updatedAt?: Partial<Record<string, unknown>> };

/** A stored time, or 0 when missing (an older build) or not a time (a hand-edited backup). */
const storedTime = (v: unknown) =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0;

export async function loadStampedSettings(
  db: TimeMachineDb,
  accountId: string,
): Promise<StampedSettings> {
  const { updatedAt, ...stored } =
    (await readMeta<StoredSettings>(db, accountKey(accountId, KEY))) ?? {};
  const settings = { ...DEFAULT_SETTINGS };
  if (stored.cadence !== undefined) settings.cadence = stored.cadence;
  if (stored.timeZone !== undefined) settings.timeZone = stored.timeZone;
  return {
    settings,
    updatedAt: {
      cadence: storedTime(updatedAt?.cadence),
      timeZone: storedTime(updatedAt?.timeZone),
    },
  };
}

export async function loadSettings(db: TimeMachineDb, accountId: string): Promise<AccountSettings> {
  return (await loadStampedSettings(db, accountId)).settings;
}

function check(settings: AccountSettings): void {
  if (!(settings.cadence in CADENCES))
    throw new RangeError(`unknown cadence ${String(settings.cadence)}`);
  if (settings.timeZone !== null) new Intl.DateTimeFormat('en', { timeZone: settings.timeZone }); // throws RangeError for an unknown zone
}

async function store(db: TimeMachineDb, accountId: string, s: StampedSettings): Promise<void> {
  const value: StoredSettings = { ...s.settings, updatedAt: { ...s.updatedAt } };
  await writeMeta(db, accountKey(accountId, KEY), value);
}

/** The person changes settings on this device, at `at`: each setting in `patch` is dated then. */
export async function saveSettings(
  db: TimeMachineDb,
  accountId: string,
  patch: Partial<AccountSettings>,
  at: number,
): Promise<AccountSettings> {
  return db.transaction('rw', db.meta, async () => {
    const held = await loadStampedSettings(db, accountId);
    const next = { ...held.settings, ...patch };
    check(next);
    const updatedAt = { ...held.updatedAt };
    for (const name of SETTING_NAMES) if (name in patch) updatedAt[name] = at;
    await store(db, accountId, { settings: next, updatedAt });
    return next;
  });
}

/**
 * Whether `b`'s value of a setting wins over `a`'s: the later change, and
 * between two changes dated alike (two devices in one millisecond, or two
 * rows of older builds, both 0) the greater value as JSON, so every device
 * picks the same one whichever it holds.
 */
function wins(a: StampedSettings, b: StampedSettings, name: SettingName): boolean {
  if (b.updatedAt[name] !== a.updatedAt[name]) return b.updatedAt[name] > a.updatedAt[name];
  return JSON.stringify(b.settings[name]) > JSON.stringify(a.settings[name]);
}

/** Each setting as the newer of `a` and `b` holds it (the same whatever the order). */
export function newestSettings(a: StampedSettings, b: StampedSettings): StampedSettings {
  const out: StampedSettings = { settings: { ...a.settings }, updatedAt: { ...a.updatedAt } };
  for (const name of SETTING_NAMES) {
    if (!wins(a, b, name)) continue;
    out.settings = { ...out.settings, [name]: b.settings[name] };
    out.updatedAt[name] = b.updatedAt[name];
  }
  return out;
}

/**
 * Settings another device sent, merged in one transaction: each setting
 * takes the later change (newestSettings). `undatedLoses`: this device's
 * settings that carry no time yield to the sender's even when those carry
 * none either (a device joining the others takes what they chose, as before
 * settings had times). A value this browser cannot use (a time zone it does
 * not know) is not taken: this device keeps its own for that setting.
 * Returns the settings now held.
 */
export async function mergeReceivedSettings(
  db: TimeMachineDb,
  accountId: string,
  received: StampedSettings,
  undatedLoses = false,
): Promise<StampedSettings> {
  return db.transaction('rw', db.meta, async () => {
    const held = await loadStampedSettings(db, accountId);
    const merged = { settings: { ...held.settings }, updatedAt: { ...held.updatedAt } };
    let changed = false;
    for (const name of SETTING_NAMES) {
      const joining =
        undatedLoses &&
        held.updatedAt[name] === 0 &&
        received.settings[name] !== held.settings[name];
      if (!joining && !wins(held, received, name)) continue;
      const next = { ...merged.settings, [name]: received.settings[name] };
      try {
        check(next);
      } catch {
        continue;
      }
      merged.settings = next;
      merged.updatedAt[name] = received.updatedAt[name];
      changed = true;
    }
    if (changed) await store(db, accountId, merged);
    return merged;
  });
}

/**
 * Dates, at `at`, each setting that carries no time and differs from
 * `agreed`: a change made by a build before settings had times, after the
 * settings it last agreed with the other devices (lib/devices/engine.ts).
 */
export async function dateUndatedChanges(
  db: TimeMachineDb,
  accountId: string,
  agreed: AccountSettings,
  at: number,
): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const held = await loadStampedSettings(db, accountId);
    const undated = SETTING_NAMES.filter(
      (name) => held.updatedAt[name] === 0 && held.settings[name] !== agreed[name],
    );
    if (undated.length === 0) return;
    for (const name of undated) held.updatedAt[name] = at;
    await store(db, accountId, held);
  });
}

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function effectiveTimeZone(settings: AccountSettings): string {
  return settings.timeZone ?? deviceTimeZone();
}
