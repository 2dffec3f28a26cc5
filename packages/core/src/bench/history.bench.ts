// Times every computation over a synthetic ten-year history and compares it
// with one plain loop over the arrays it reads. Run: pnpm --filter @mtm/core bench
// (not a test: timings depend on the machine, so they go to docs/perf/core.md).
import { buildSnapshot, dueRanges, CADENCES } from '../snapshots.js';
import { findGems, liveGems } from '../gems.js';
import { MOOD_PROFILES, selectForMood } from '../mood.js';
import { rankAwareTurnover, jaccardTurnover, turnoverSeries } from '../turnover.js';
import { evolution } from '../evolution.js';
import { summerVsWinter } from '../seasons.js';
import { diaryMonth, diaryMonths } from '../diary.js';
import { syntheticHistory } from '../test-support/synthetic-history.js';

declare const performance: { now(): number };
declare const console: { log(...args: unknown[]): void };

const ZONE = 'Europe/Berlin';
const h = syntheticHistory();
const short = h.snapshots.filter((s) => s.range === 'short_term');

function median(fn: () => unknown, runs = 21): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1]!;
}

let sink = 0;
const loops = {
  'plays + snapshots': () => {
    for (let i = 0; i < h.plays.length; i++) sink += h.plays[i]!.msPlayed;
    for (const s of h.snapshots) for (const id of s.trackIds) sink += id.length;
  },
  snapshots: () => {
    for (const s of h.snapshots) for (const id of s.trackIds) sink += id.length;
  },
  'tracks + features': () => {
    for (const t of h.tracks) sink += h.features.get(t.id)?.energy ?? 0;
  },
};
type Inputs = keyof typeof loops;

const [latestMonth] = diaryMonths(h.plays, h.snapshots, ZONE).slice(-1);
const cases: [string, Inputs, () => unknown][] = [
  ['snapshots: build all 1,560 + due ranges', 'snapshots', () => {
    for (const s of h.snapshots) buildSnapshot({ accountId: s.accountId, range: s.range, takenAt: s.takenAt, tracks: s.trackIds });
    return dueRanges(h.snapshots, CADENCES.weekly, h.now);
  }],
  ['gems: live (long minus short)', 'snapshots', () => liveGems(h.snapshots.at(-1)!.trackIds, h.snapshots.at(-3)!.trackIds)],
  ['gems: history (all snapshots + plays)', 'plays + snapshots', () => findGems({ snapshots: h.snapshots, plays: h.plays, now: h.now, zone: ZONE })],
  ['mood: workout top 30 of 5,000 tracks', 'tracks + features', () => selectForMood({ tracks: h.tracks, features: h.features, profile: MOOD_PROFILES.workout })],
  ['turnover: 519 weekly pairs x 3 ranges (Jaccard + RBO)', 'snapshots', () => {
    for (let i = 3; i < h.snapshots.length; i++) {
      sink += jaccardTurnover(h.snapshots[i - 3]!.trackIds, h.snapshots[i]!.trackIds);
      sink += rankAwareTurnover(h.snapshots[i - 3]!.trackIds, h.snapshots[i]!.trackIds);
    }
  }],
  ['turnover: monthly series, tracks + artists', 'snapshots', () => {
    turnoverSeries(short, { range: 'short_term', period: 'month', zone: ZONE });
    return turnoverSeries(short, { range: 'short_term', period: 'month', zone: ZONE, level: 'artist', tracks: h.trackMap });
  }],
  ['evolution: per month (plays-weighted)', 'plays + snapshots', () => evolution({ plays: h.plays, snapshots: h.snapshots, features: h.features, tracks: h.trackMap, zone: ZONE, period: 'month' })],
  ['evolution: per season + summer vs winter', 'plays + snapshots', () => summerVsWinter(evolution({ plays: h.plays, snapshots: h.snapshots, features: h.features, tracks: h.trackMap, zone: ZONE, period: 'season' }))],
  ['diary: months with data (300k plays)', 'plays + snapshots', () => diaryMonths(h.plays, h.snapshots, ZONE)],
  ['diary: one month view', 'plays + snapshots', () => diaryMonth({ plays: h.plays, snapshots: h.snapshots, tracks: h.trackMap, zone: ZONE, year: latestMonth!.year, month: latestMonth!.month })],
];

const base = Object.fromEntries(Object.entries(loops).map(([k, fn]) => [k, median(fn, 41)])) as Record<Inputs, number>;
console.log(`synthetic history: ${h.snapshots.length} snapshots x 50, ${h.plays.length} plays, ${h.tracks.length} tracks, zone ${ZONE}\n`);
console.log('| computation | median ms | plain loop over | loop ms | ratio |');
console.log('| --- | ---: | --- | ---: | ---: |');
for (const [name, inputs, fn] of cases) {
  const ms = median(fn);
  console.log(`| ${name} | ${ms.toFixed(2)} | ${inputs} | ${base[inputs].toFixed(3)} | ${(ms / base[inputs]).toFixed(1)}x |`);
}
if (sink === 42) console.log('');
