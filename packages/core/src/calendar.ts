// Placing moments in a calendar of an IANA time zone.
//
// Intl.DateTimeFormat is the only time-zone database available to pure ES code,
// and it is slow (microseconds per call). So we never ask it about individual
// plays: we ask it once per month for the UTC instant at which that month
// starts locally, and then bucket any number of timestamps by comparing
// numbers. Month boundaries are exact instants, so a play that ended at 00:30
// local time on the 1st lands in the new month even on a DST-change night.

export interface MonthRef {
  year: number;
  /** 1..12 */
  month: number;
}

export interface MonthSpan extends MonthRef {
  /** `YYYY-MM` */
  key: string;
  /** UTC ms of local midnight starting the month (inclusive). */
  start: number;
  /** UTC ms of local midnight starting the next month (exclusive). */
  end: number;
}

export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for an unknown zone, which is what a caller should see.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localTime(zone: string, t: number): LocalTime {
  const out: LocalTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(zone).formatToParts(t)) {
    if (
      p.type === 'year' ||
      p.type === 'month' ||
      p.type === 'day' ||
      p.type === 'hour' ||
      p.type === 'minute' ||
      p.type === 'second'
    )
      out[p.type] = Number(p.value);
  }
  return out;
}

/** The month that contains instant `t` in `zone`. */
export function monthOf(zone: string, t: number): MonthRef {
  const l = localTime(zone, t);
  return { year: l.year, month: l.month };
}

/** Offset of local wall time from UTC at instant `t`, in ms (east positive). */
function offsetAt(zone: string, t: number): number {
  const l = localTime(zone, t);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

const monthIndex = (year: number, month: number): number => year * 12 + (month - 1);
const beforeOrAt = (a: MonthRef, b: MonthRef): boolean =>
  monthIndex(a.year, a.month) <= monthIndex(b.year, b.month);

const startCache = new Map<string, number>();

/** UTC ms at which `year-month` starts in `zone`. */
export function monthStart(zone: string, year: number, month: number): number {
  const cacheKey = `${zone}|${monthIndex(year, month)}`;
  const hit = startCache.get(cacheKey);
  if (hit !== undefined) return hit;
  const wall = Date.UTC(year, month - 1, 1);
  // Two passes: the offset at the guess can differ from the offset at the answer
  // when a DST change falls within a few hours of midnight.
  let t = wall - offsetAt(zone, wall);
  t = wall - offsetAt(zone, t);
  const target = { year, month };
  if (!(beforeOrAt(target, monthOf(zone, t)) && !beforeOrAt(target, monthOf(zone, t - 1)))) {
    // Midnight did not exist (a DST jump at 00:00 in some zones): find the first
    // instant of the month by bisection within a day around the guess.
    let lo = wall - 36 * 3_600_000;
    let hi = wall + 36 * 3_600_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (beforeOrAt(target, monthOf(zone, mid))) hi = mid;
      else lo = mid;
    }
    t = hi;
  }
  if (startCache.size > 20_000) startCache.clear();
  startCache.set(cacheKey, t);
  return t;
}

export const monthKey = (year: number, month: number): string =>
  `${year}-${String(month).padStart(2, '0')}`;

export function nextMonth(m: MonthRef): MonthRef {
  return m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 };
}

export function previousMonth(m: MonthRef): MonthRef {
  return m.month === 1 ? { year: m.year - 1, month: 12 } : { year: m.year, month: m.month - 1 };
}

export function monthSpan(zone: string, year: number, month: number): MonthSpan {
  const n = nextMonth({ year, month });
  return {
    year,
    month,
    key: monthKey(year, month),
    start: monthStart(zone, year, month),
    end: monthStart(zone, n.year, n.month),
  };
}

/** Every month from the one containing `from` to the one containing `to`, in order. */
export function monthsBetween(zone: string, from: number, to: number): MonthSpan[] {
  if (!(from <= to)) return [];
  const out: MonthSpan[] = [];
  const last = monthOf(zone, to);
  for (let m = monthOf(zone, from); beforeOrAt(m, last); m = nextMonth(m))
    out.push(monthSpan(zone, m.year, m.month));
  return out;
}

/**
 * Maps instants to an index into `months` (or -1 outside them). Remembers the
 * last answer, so sorted input costs one comparison per call; unsorted input
 * falls back to a binary search over the month starts.
 */
export function monthLocator(months: readonly MonthSpan[]): (t: number) => number {
  const starts = months.map((m) => m.start);
  const ends = months.map((m) => m.end);
  const n = months.length;
  let last = 0;
  return (t: number): number => {
    if (n === 0) return -1;
    if (t >= starts[last]! && t < ends[last]!) return last;
    if (t < starts[0]! || t >= ends[n - 1]!) return -1;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    last = lo;
    return lo;
  };
}

/** "March 2024" */
export const monthLabel = (m: MonthRef): string => `${MONTH_NAMES[m.month - 1]} ${m.year}`;
/** "Mar 2024" */
export const shortMonthLabel = (m: MonthRef): string =>
  `${MONTH_NAMES[m.month - 1]!.slice(0, 3)} ${m.year}`;
