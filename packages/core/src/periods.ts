// Grouping months into the periods the Evolution page shows: month, season, year.
import type { Play, Snapshot } from './types.js';
import {
  MONTH_NAMES,
  monthKey,
  monthLocator,
  monthsBetween,
  type MonthRef,
  type MonthSpan,
} from './calendar.js';

export type Period = 'month' | 'season' | 'year';
export type Hemisphere = 'north' | 'south';

// Seasons flip south of the equator; the time zone is the one hint about
// where the person lives that the app has without asking.
const SOUTH =
  /^(Australia|Antarctica)\/|^Pacific\/(Auckland|Chatham|Fiji|Tongatapu|Noumea)$|^America\/(Argentina|Santiago|Sao_Paulo|Montevideo|Asuncion|La_Paz|Lima)|^Africa\/(Johannesburg|Maputo|Harare|Lusaka|Windhoek|Gaborone|Maseru|Mbabane)$|^Indian\/(Mauritius|Reunion|Antananarivo)$/;

/** The hemisphere an IANA time zone lies in, for naming seasons. */
export function hemisphereOf(zone: string): Hemisphere {
  return SOUTH.test(zone) ? 'south' : 'north';
}
export type Season = 'winter' | 'spring' | 'summer' | 'autumn';

export interface PeriodSpan {
  /** Sortable and unique per period: `2024-03`, `2024`, `2023-12-winter` (key of the season's first month). */
  key: string;
  label: string;
  start: number;
  end: number;
  season: Season | null;
}

// Meteorological seasons (whole months), so a season is a union of month
// buckets and never needs its own time-zone arithmetic. December opens the
// season that continues into the next year, which is why a season is keyed
// by its first month.
const NORTH_SEASONS: readonly Season[] = ['winter', 'spring', 'summer', 'autumn'];
const OPPOSITE: Record<Season, Season> = {
  winter: 'summer',
  spring: 'autumn',
  summer: 'winter',
  autumn: 'spring',
};

export function seasonOf(month: number, hemisphere: Hemisphere): Season {
  const north = NORTH_SEASONS[Math.floor((month % 12) / 3)]!;
  return hemisphere === 'north' ? north : OPPOSITE[north];
}

/** The first month of the season that contains `m`. */
function seasonStart(m: MonthRef): MonthRef {
  if (m.month === 12) return m;
  if (m.month <= 2) return { year: m.year - 1, month: 12 };
  return { year: m.year, month: m.month - ((m.month - 3) % 3) };
}

const cap = (s: string): string => s[0]!.toUpperCase() + s.slice(1);

function periodOfMonth(
  span: MonthSpan,
  period: Period,
  hemisphere: Hemisphere,
): Omit<PeriodSpan, 'start' | 'end'> {
  if (period === 'month') {
    return {
      key: span.key,
      label: `${MONTH_NAMES[span.month - 1]} ${span.year}`,
      season: seasonOf(span.month, hemisphere),
    };
  }
  if (period === 'year') return { key: String(span.year), label: String(span.year), season: null };
  const first = seasonStart(span);
  const season = seasonOf(first.month, hemisphere);
  const years =
    first.month === 12 ? `${first.year}–${String(first.year + 1).slice(-2)}` : String(first.year);
  return {
    key: `${monthKey(first.year, first.month)}-${season}`,
    label: `${cap(season)} ${years}`,
    season,
  };
}

export interface PeriodGrid {
  periods: PeriodSpan[];
  /** Index into `periods` for an instant, or -1 outside the grid. */
  locate: (t: number) => number;
}

/** Consecutive periods covering [from, to] in `zone`, with a fast locator. */
export function periodGrid(
  zone: string,
  from: number,
  to: number,
  period: Period,
  hemisphere: Hemisphere = 'north',
): PeriodGrid {
  const months = monthsBetween(zone, from, to);
  const periods: PeriodSpan[] = [];
  const monthToPeriod: number[] = [];
  for (const m of months) {
    const p = periodOfMonth(m, period, hemisphere);
    const prev = periods[periods.length - 1];
    if (prev && prev.key === p.key) prev.end = m.end;
    else periods.push({ ...p, start: m.start, end: m.end });
    monthToPeriod.push(periods.length - 1);
  }
  const locateMonth = monthLocator(months);
  return {
    periods,
    locate: (t) => {
      const i = locateMonth(t);
      return i < 0 ? -1 : monthToPeriod[i]!;
    },
  };
}

/** First and last moment of a history (plays and snapshots), or null when empty. */
export function historyExtent(
  plays: readonly Play[],
  snapshots: readonly Snapshot[],
): { from: number; to: number } | null {
  let from = Infinity;
  let to = -Infinity;
  for (let i = 0; i < plays.length; i++) {
    const t = plays[i]!.playedAt;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  for (let i = 0; i < snapshots.length; i++) {
    const t = snapshots[i]!.takenAt;
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return from <= to ? { from, to } : null;
}
