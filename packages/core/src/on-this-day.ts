// "On this day" and the diary at a glance: what was played on today's date
// 1, 2, 5 and 10 years ago, and streams per local day for a calendar heatmap.
// Both read only the plays of the days they show, found by binary search over
// the play timeline (play-timeline.ts).
import {
  DAY_MS,
  dateOfDay,
  dayOfDate,
  localDayAt,
  weekdayOf,
  type DayNumber,
  type LocalDate,
} from './local-days.js';
import { playRange, type PlayTimeline } from './play-timeline.js';
import { STREAM_THRESHOLD_MS } from './types.js';

export const ON_THIS_DAY_YEARS: readonly number[] = [1, 2, 5, 10];

export interface DayTrack {
  trackId: string;
  streams: number;
}

export interface OnThisDayEntry {
  yearsAgo: number;
  date: LocalDate;
  plays: number;
  streams: number;
  minutes: number;
  /** That day's tracks, most streamed first (plays under 30 s left out). */
  tracks: DayTrack[];
  /** The most streamed track of that week (Monday to Sunday). */
  weekTop: DayTrack | null;
}

// A local day lies within 14 hours either side of its UTC day, whatever the
// zone (UTC-12 to UTC+14): the binary search looks that far, then the
// timeline's local day of each play decides.
const ZONE_REACH_MS = 15 * 3_600_000;

/** Indexes of the plays on local days [first, last], in time order. */
function daysRange(tl: PlayTimeline, first: DayNumber, last: DayNumber): [number, number] {
  let [lo, hi] = playRange(tl, first * DAY_MS - ZONE_REACH_MS, (last + 1) * DAY_MS + ZONE_REACH_MS);
  while (lo < hi && tl.day[lo]! < first) lo++;
  while (hi > lo && tl.day[hi - 1]! > last) hi--;
  return [lo, hi];
}

/** Streams per track in plays [lo, hi), most first; `counts` is all zeros and left so. */
function ranked(tl: PlayTimeline, lo: number, hi: number, counts: Int32Array): DayTrack[] {
  const touched: number[] = [];
  for (let i = lo; i < hi; i++) {
    if (tl.msPlayed[i]! < STREAM_THRESHOLD_MS) continue;
    const t = tl.track[i]!;
    if (counts[t] === 0) touched.push(t);
    counts[t] = counts[t]! + 1;
  }
  const out = touched.map((t) => ({ trackId: tl.trackIds[t]!, streams: counts[t]! }));
  for (const t of touched) counts[t] = 0;
  return out.sort((a, b) => b.streams - a.streams || (a.trackId < b.trackId ? -1 : 1));
}

/**
 * What was played on today's local date in earlier years, for each of
 * `yearsAgo` the diary has plays on. A 29 February looks back only to
 * leap years: that date did not happen in the others.
 */
export function onThisDay(
  tl: PlayTimeline,
  now: number,
  yearsAgo: readonly number[] = ON_THIS_DAY_YEARS,
): OnThisDayEntry[] {
  if (!Number.isFinite(now)) throw new RangeError('"On this day" needs today\'s date.');
  const today = dateOfDay(localDayAt(tl.zone, now));
  const out: OnThisDayEntry[] = [];
  const counts = new Int32Array(tl.trackIds.length);
  for (const k of yearsAgo) {
    const day = dayOfDate(today.year - k, today.month, today.day);
    if (day === null) continue;
    const [lo, hi] = daysRange(tl, day, day);
    if (hi === lo) continue;
    let streams = 0;
    let ms = 0;
    for (let i = lo; i < hi; i++) {
      ms += tl.msPlayed[i]!;
      if (tl.msPlayed[i]! >= STREAM_THRESHOLD_MS) streams++;
    }
    const monday = day - weekdayOf(day);
    const [wlo, whi] = daysRange(tl, monday, monday + 6);
    out.push({
      yearsAgo: k,
      date: dateOfDay(day),
      plays: hi - lo,
      streams,
      minutes: Math.round(ms / 60_000),
      tracks: ranked(tl, lo, hi, counts),
      weekTop: ranked(tl, wlo, whi, counts)[0] ?? null,
    });
  }
  return out;
}

export interface YearAtAGlance {
  year: number;
  /** Day number of 1 January. */
  firstDay: DayNumber;
  /** Streams per day of the year: `streams[0]` is 1 January. */
  streams: number[];
  /** Per month (index 0 = January): its most streamed track, or null. */
  monthTops: (string | null)[];
}

/** Streams per local day of `year` and each month's top track, for the timeline's heatmap and tiles. */
export function yearAtAGlance(tl: PlayTimeline, year: number): YearAtAGlance {
  if (!Number.isInteger(year)) throw new RangeError(`${year} is not a year.`);
  const firstDay = dayOfDate(year, 1, 1)!;
  const lastDay = dayOfDate(year, 12, 31)!;
  const streams = new Array<number>(lastDay - firstDay + 1).fill(0);
  const [lo, hi] = daysRange(tl, firstDay, lastDay);
  const perMonth = Array.from({ length: 12 }, () => new Map<number, number>());
  // month of each day of the year, computed once rather than per play
  const monthOfDay = streams.map((_, i) => dateOfDay(firstDay + i).month - 1);
  for (let i = lo; i < hi; i++) {
    if (tl.msPlayed[i]! < STREAM_THRESHOLD_MS) continue;
    const d = tl.day[i]! - firstDay;
    streams[d]!++;
    const m = perMonth[monthOfDay[d]!]!;
    m.set(tl.track[i]!, (m.get(tl.track[i]!) ?? 0) + 1);
  }
  const monthTops = perMonth.map((m) => {
    let best: [number, number] | null = null;
    for (const e of m) {
      if (
        !best ||
        e[1] > best[1] ||
        (e[1] === best[1] && tl.trackIds[e[0]]! < tl.trackIds[best[0]]!)
      )
        best = e;
    }
    return best ? tl.trackIds[best[0]]! : null;
  });
  return { year, firstDay, streams, monthTops };
}
