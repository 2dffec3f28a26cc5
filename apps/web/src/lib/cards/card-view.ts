// Words and small arrangements for the cards: numbers come from core, this
// only says them the way PRODUCT.md asks (dates in words, numbers second).
import { MONTH_NAMES, type CardPeriod, type LocalDate, type MoodId } from '@mtm/core';

const WEEKDAYS = [
  'Mondays',
  'Tuesdays',
  'Wednesdays',
  'Thursdays',
  'Fridays',
  'Saturdays',
  'Sundays',
];
export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const count = (n: number): string => n.toLocaleString('en-US');

export const plural = (n: number, one: string, many: string): string =>
  `${count(n)} ${n === 1 ? one : many}`;

/** "3 March 2024" */
export const dateWords = (d: LocalDate): string => `${d.day} ${MONTH_NAMES[d.month - 1]} ${d.year}`;

/** "3 December" */
export const dayMonthWords = (d: { month: number; day: number }): string =>
  `${d.day} ${MONTH_NAMES[d.month - 1]}`;

/** The playlist a period pushes: "My 2019", "Summer 2021", "My March 2024". */
export function periodPlaylistTitle(p: CardPeriod): string {
  if (p.kind === 'season') return p.label;
  if (p.kind === 'all') return 'My diary so far';
  return `My ${p.label}`;
}

/** The busiest hour of the listening clock in words, or null when the clock is empty. */
export function clockWords(clock: readonly number[]): string | null {
  let best = -1;
  for (let i = 0; i < clock.length; i++) if (clock[i]! > (clock[best] ?? 0)) best = i;
  if (best < 0) return null;
  const hour = best % 24;
  return `Most often on ${WEEKDAYS[Math.floor(best / 24)]} around ${String(hour).padStart(2, '0')}:00`;
}

export const MOOD_WORDS: Record<MoodId, string> = {
  workout: 'Workout',
  chill: 'Chill',
  happy: 'Happy',
  melancholy: 'Melancholy',
  focus: 'Focus',
  party: 'Party',
};

/** Links to the cards a person most often wants, around `now`'s local date. */
export function cardKeys(today: LocalDate): { key: string; label: string }[] {
  const pad = (n: number) => String(n).padStart(2, '0');
  const lastMonth =
    today.month === 1 ? { y: today.year - 1, m: 12 } : { y: today.year, m: today.month - 1 };
  return [
    { key: `${today.year}-${pad(today.month)}`, label: 'This month' },
    {
      key: `${lastMonth.y}-${pad(lastMonth.m)}`,
      label: `${MONTH_NAMES[lastMonth.m - 1]} ${lastMonth.y}`,
    },
    { key: String(today.year), label: String(today.year) },
    { key: String(today.year - 1), label: String(today.year - 1) },
    { key: 'since-i-started', label: 'Since I started' },
  ];
}
