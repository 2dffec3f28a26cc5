// The periods a card can cover: a month, a season, a year, "since I started"
// or any two dates, each with its key (for a link), its words and the period
// before it (for "how much of last period's top list survived"). Months and
// seasons are cut by calendar.ts, so a card and the diary agree to the
// millisecond about where "March 2024" starts in the person's time zone.
import { MONTH_NAMES, monthKey, monthStart, nextMonth, previousMonth } from './calendar.js';
import { dayOfDate, dayStart, dateOfDay, type LocalDate } from './local-days.js';
import { EARLIEST_PLAY_MS } from './play-window.js';
import { periodGrid, type Hemisphere } from './periods.js';

export type CardSpec =
  | { kind: 'month'; year: number; month: number }
  | { kind: 'season'; year: number; month: number }
  | { kind: 'year'; year: number }
  | { kind: 'all' }
  | { kind: 'dates'; from: LocalDate; to: LocalDate };

export interface CardSpan {
  from: number;
  to: number;
  label: string;
}

export interface CardPeriod extends CardSpan {
  kind: CardSpec['kind'];
  /** For a link: `2024`, `2024-03`, `2023-12-winter`, `since-i-started`, `2024-03-02..2024-04-10`. */
  key: string;
  /** The period just before, as long, or null ("since I started" has none). */
  previous: CardSpan | null;
}

const FIRST_YEAR = new Date(EARLIEST_PLAY_MS).getUTCFullYear();
const pad = (n: number) => String(n).padStart(2, '0');
const dateKey = (d: LocalDate) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
/** "2 March 2024" */
export const dateLabel = (d: LocalDate): string => `${d.day} ${MONTH_NAMES[d.month - 1]} ${d.year}`;

const KEY =
  /^(?:(\d{4})|(\d{4})-(\d{2})|(\d{4})-(\d{2})-(winter|spring|summer|autumn)|(since-i-started)|(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2}))$/;

/** Reads a card key; null for anything that is not one (the page says so). */
export function parseCardKey(key: string): CardSpec | null {
  const m = KEY.exec(key);
  if (!m) return null;
  const n = (i: number) => Number(m[i]);
  if (m[1]) return { kind: 'year', year: n(1) };
  if (m[2]) return { kind: 'month', year: n(2), month: n(3) };
  if (m[4]) return { kind: 'season', year: n(4), month: n(5) };
  if (m[7]) return { kind: 'all' };
  return {
    kind: 'dates',
    from: { year: n(8), month: n(9), day: n(10) },
    to: { year: n(11), month: n(12), day: n(13) },
  };
}

export interface CardPeriodContext {
  zone: string;
  now: number;
  /** When the diary's first play ended; null for an empty diary. */
  firstPlay: number | null;
  hemisphere?: Hemisphere;
}

/**
 * The span of a card. Throws a RangeError in words for a period that cannot
 * be: a month 13, a date that does not exist, an end before the start, or a
 * year no diary can hold (before Spotify, or after next year).
 */
export function cardPeriod(spec: CardSpec, ctx: CardPeriodContext): CardPeriod {
  const { zone } = ctx;
  const lastYear = new Date(ctx.now).getUTCFullYear() + 1;
  const checkYear = (y: number) => {
    if (!Number.isInteger(y) || y < FIRST_YEAR || y > lastYear)
      throw new RangeError(
        `${y} is outside the years a diary can hold (${FIRST_YEAR} to ${lastYear}).`,
      );
  };
  const checkMonth = (mo: number) => {
    if (!Number.isInteger(mo) || mo < 1 || mo > 12)
      throw new RangeError(`There is no month ${mo}: months go from 1 to 12.`);
  };
  const months = (y: number, mo: number, count: number): [number, number] => {
    let end = { year: y, month: mo };
    for (let i = 0; i < count; i++) end = nextMonth(end);
    return [monthStart(zone, y, mo), monthStart(zone, end.year, end.month)];
  };
  switch (spec.kind) {
    case 'month': {
      checkYear(spec.year);
      checkMonth(spec.month);
      const [from, to] = months(spec.year, spec.month, 1);
      const p = previousMonth(spec);
      const [pf, pt] = months(p.year, p.month, 1);
      const label = (y: number, mo: number) => `${MONTH_NAMES[mo - 1]} ${y}`;
      return {
        kind: 'month',
        key: monthKey(spec.year, spec.month),
        from,
        to,
        label: label(spec.year, spec.month),
        previous: { from: pf, to: pt, label: label(p.year, p.month) },
      };
    }
    case 'season': {
      checkYear(spec.year);
      checkMonth(spec.month);
      if (spec.month % 3 !== 0)
        throw new RangeError(
          `A season starts in December, March, June or September, not in ${MONTH_NAMES[spec.month - 1]}.`,
        );
      const season = (y: number, mo: number): CardSpan & { key: string } => {
        const [from, to] = months(y, mo, 3);
        const p = periodGrid(zone, from, to - 1, 'season', ctx.hemisphere).periods[0]!;
        return { from, to, label: p.label, key: p.key };
      };
      const cur = season(spec.year, spec.month);
      const prevFirst = previousMonth(previousMonth(previousMonth(spec)));
      const prev = season(prevFirst.year, prevFirst.month);
      return {
        kind: 'season',
        key: cur.key,
        from: cur.from,
        to: cur.to,
        label: cur.label,
        previous: { from: prev.from, to: prev.to, label: prev.label },
      };
    }
    case 'year': {
      checkYear(spec.year);
      const [from, to] = months(spec.year, 1, 12);
      const [pf, pt] = months(spec.year - 1, 1, 12);
      return {
        kind: 'year',
        key: String(spec.year),
        from,
        to,
        label: String(spec.year),
        previous: { from: pf, to: pt, label: String(spec.year - 1) },
      };
    }
    case 'all': {
      const from = ctx.firstPlay ?? ctx.now;
      return {
        kind: 'all',
        key: 'since-i-started',
        from,
        to: Math.max(from + 1, ctx.now),
        label: 'Since you started',
        previous: null,
      };
    }
    case 'dates': {
      for (const d of [spec.from, spec.to]) {
        checkYear(d.year);
        if (dayOfDate(d.year, d.month, d.day) === null)
          throw new RangeError(`${d.year}-${pad(d.month)}-${pad(d.day)} is not a date.`);
      }
      const first = dayOfDate(spec.from.year, spec.from.month, spec.from.day)!;
      const last = dayOfDate(spec.to.year, spec.to.month, spec.to.day)!;
      if (first > last)
        throw new RangeError(
          `A period must start before it ends: ${dateLabel(spec.from)} comes after ${dateLabel(spec.to)}.`,
        );
      const days = last - first + 1;
      const label = (a: number, b: number) =>
        a === b
          ? dateLabel(dateOfDay(a))
          : `${dateLabel(dateOfDay(a))} – ${dateLabel(dateOfDay(b))}`;
      return {
        kind: 'dates',
        key: `${dateKey(spec.from)}..${dateKey(spec.to)}`,
        from: dayStart(zone, first),
        to: dayStart(zone, last + 1),
        label: label(first, last),
        previous: {
          from: dayStart(zone, first - days),
          to: dayStart(zone, first),
          label: label(first - days, first - 1),
        },
      };
    }
  }
}
