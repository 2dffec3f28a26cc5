// Checks for what a record's JSON holds, before anything of it is written.
// A record that opened with the key was sealed by one of the person's own
// devices, so these guard against a bug or a newer app, not an attacker (the
// tag already did that): every field is the type the database expects, and
// nothing the app does not know is kept. Hand-written rather than a schema
// library: the device sync is loaded from the root layout, and every kilobyte
// there counts against the diary's first-load budget.
import { DeviceSyncError } from './device-sync-error';

export const tampered = (why: string) =>
  new DeviceSyncError('SYNC_TAMPERED', `a record's content does not check out: ${why}`);

export type Check<T> = (v: unknown, at: string) => T;

export const obj: Check<Record<string, unknown>> = (v, at) => {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw tampered(`${at} is not an object`);
  return v as Record<string, unknown>;
};

export const num: Check<number> = (v, at) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw tampered(`${at} is not a number`);
  return v;
};

export const count: Check<number> = (v, at) => {
  const n = num(v, at);
  if (!Number.isInteger(n) || n < 0) throw tampered(`${at} is not a count`);
  return n;
};

/** A moment as the app stores one: whole milliseconds since 1970, not before. */
export const time: Check<number> = (v, at) => {
  const n = num(v, at);
  if (!Number.isSafeInteger(n) || n < 0) throw tampered(`${at} is not a time`);
  return n;
};

export const str =
  (min = 0, max = 10_000): Check<string> =>
  (v, at) => {
    if (typeof v !== 'string' || v.length < min || v.length > max)
      throw tampered(`${at} is not a string of ${min} to ${max} characters`);
    return v;
  };

export const nullable =
  <T>(check: Check<T>): Check<T | null> =>
  (v, at) =>
    v === null ? null : check(v, at);

export const optional =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, at) =>
    v === undefined ? undefined : check(v, at);

export const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, at) => {
    if (!values.includes(v as T)) throw tampered(`${at} is not one of ${values.join(', ')}`);
    return v as T;
  };

export const arr =
  <T>(each: Check<T>): Check<T[]> =>
  (v, at) => {
    if (!Array.isArray(v)) throw tampered(`${at} is not a list`);
    return v.map((x, i) => each(x, `${at}[${i}]`));
  };

export const that =
  <T>(check: Check<T>, ok: (v: T) => boolean, what: string): Check<T> =>
  (v, at) => {
    const out = check(v, at);
    if (!ok(out)) throw tampered(`${at} is not ${what}`);
    return out;
  };
