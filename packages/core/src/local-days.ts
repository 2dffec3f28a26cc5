// Local days and hours of an IANA time zone, for many instants at once.
//
// calendar.ts cuts months exactly and asks Intl once per month. A card also
// needs the local day and hour of every play (streaks, the busiest day, the
// listening clock), and Intl costs microseconds per call, far too much per
// play. But a zone's offset from UTC changes only a few times a year, so we
// sample it once a week over the span and, where two samples differ, bisect
// to the exact instant of the change. Every play is then placed by adding the
// offset of its segment: one addition, however many plays. A zone that
// changed its offset twice within one week would be missed; no zone has.
import { localTime } from './calendar.js';

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * DAY_MS;

/** Offset of local wall time from UTC at instant `t`, in ms (east positive). */
export function offsetAt(zone: string, t: number): number {
  const l = localTime(zone, t);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/** The offsets in force over a span: `offsets[i]` holds from `starts[i]` (starts[0] is -Infinity). */
export interface ZoneOffsets {
  starts: number[];
  offsets: number[];
}

/** Offsets of `zone` over [from, to]; a week's margin either side. */
export function zoneOffsets(zone: string, from: number, to: number): ZoneOffsets {
  if (!(Number.isFinite(from) && Number.isFinite(to) && from <= to))
    return { starts: [-Infinity], offsets: [offsetAt(zone, Number.isFinite(from) ? from : 0)] };
  const starts = [-Infinity];
  const offsets = [offsetAt(zone, from - WEEK_MS)];
  let a = from - WEEK_MS;
  for (let b = a + WEEK_MS; a < to + WEEK_MS; a = b, b += WEEK_MS) {
    const ob = offsetAt(zone, b);
    if (ob === offsets[offsets.length - 1]) continue;
    // the first instant in (a, b] with the new offset
    const before = offsets[offsets.length - 1]!;
    let lo = a;
    let hi = b;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(zone, mid) === before) lo = mid;
      else hi = mid;
    }
    starts.push(hi);
    offsets.push(ob);
  }
  return { starts, offsets };
}

/** A local calendar day as a number: days since 1970-01-01 of the local date. */
export type DayNumber = number;

export interface LocalDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

/** The local date a day number stands for. */
export function dateOfDay(day: DayNumber): LocalDate {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** The day number of a local date; null when the date does not exist (30 February). */
export function dayOfDate(year: number, month: number, day: number): DayNumber | null {
  const t = Date.UTC(year, month - 1, day);
  const d = new Date(t);
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day)
    return null;
  return Math.round(t / DAY_MS);
}

/** Weekday of a day number: 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: DayNumber): number => (((day + 3) % 7) + 7) % 7;

/** UTC ms at which local day `day` starts in `zone` (the first instant of that date). */
export function dayStart(zone: string, day: DayNumber): number {
  const wall = day * DAY_MS;
  // Two passes, as monthStart does: the offset at the guess can differ from
  // the offset at the answer on a DST-change night.
  let t = wall - offsetAt(zone, wall);
  t = wall - offsetAt(zone, t);
  // midnight that did not exist (a DST jump at 00:00): the day starts at the jump
  if (localDayAt(zone, t) !== day) {
    let lo = wall - 36 * HOUR_MS;
    let hi = wall + 36 * HOUR_MS;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localDayAt(zone, mid) >= day) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  return t;
}

/** The local day an instant falls on in `zone` (one Intl call: not for every play). */
export function localDayAt(zone: string, t: number): DayNumber {
  return Math.floor((t + offsetAt(zone, t)) / DAY_MS);
}
