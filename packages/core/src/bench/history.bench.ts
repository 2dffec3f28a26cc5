// Times every computation over a synthetic ten-year history and compares it
// with one plain loop over the arrays it reads. Run: pnpm --filter @mtm/core bench
// (not a test: timings depend on the machine, so they go to docs/PERFORMANCE.md).
import { buildSnapshot, dueRanges, CADENCES } from '../snapshots.js';
import { findGems, liveGems } from '../gems.js';
import { MOOD_PROFILES, selectForMood } from '../mood.js';
import { turnoverSeries } from '../turnover.js';
import { evolution } from '../evolution.js';
import { summerVsWinter } from '../seasons.js';
import { diaryMonth, diaryMonths } from '../diary.js';
import { syntheticHistory } from '../test-support/synthetic-history.js';

declare const performance: { now(): number };
declare const console: { log(...args: unknown[]): void };

const ZONE = 'Europe/Berlin';
const h = syntheticHistory();
const short = h.snapshots.filter((s) => s.range === 'short_term');

// The machine is shared (2 cores, often 5x oversubscribed), so wall time
// includes stretches where the process was not scheduled at all. Each
// computation is therefore timed alternately with its baseline loop, in wall
// time and in process CPU time; the ratio is taken on CPU time, which
// preemption does not inflate.
declare const process: { cpuUsage(): { user: number; system: number } };
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Sample {
  wall: number;
  cpu: number;
}
function time(fn: () => unknown): Sample {
  const c0 = cpuMs();
  const t0 = performance.now();
  fn();
  return { wall: performance.now() - t0, cpu: cpuMs() - c0 };
}

function pairedMedians(
  fn: () => unknown,
  loop: () => unknown,
  runs = 31,
): { fn: Sample; loop: Sample } {
  for (let i = 0; i < 8; i++) {
    fn();
    loop();
  }
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(fn));
    b.push(time(loop));
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1]!;
  const both = (xs: Sample[]) => ({
    wall: med(xs.map((x) => x.wall)),
    cpu: med(xs.map((x) => x.cpu)),
  });
  return { fn: both(a), loop: both(b) };
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
  [
    'snapshots: due ranges over all 1,560',
    'snapshots',
    () => dueRanges(h.snapshots, CADENCES.weekly, h.now),
  ],
  [
    'snapshots: build 1,560 from 50-track answers',
    'snapshots',
    () => {
      for (const s of h.snapshots)
        buildSnapshot({
          accountId: s.accountId,
          range: s.range,
          takenAt: s.takenAt,
          tracks: s.trackIds,
        });
    },
  ],
  [
    'gems: live (long minus short)',
    'snapshots',
    () => liveGems(h.snapshots.at(-1)!.trackIds, h.snapshots.at(-3)!.trackIds),
  ],
  [
    'gems: history (all snapshots + plays)',
    'plays + snapshots',
    () => findGems({ snapshots: h.snapshots, plays: h.plays, now: h.now, zone: ZONE }),
  ],
  [
    'mood: workout top 30 of 5,000 tracks',
    'tracks + features',
    () => selectForMood({ tracks: h.tracks, features: h.features, profile: MOOD_PROFILES.workout }),
  ],
  [
    'turnover: every weekly snapshot vs the previous, 3 ranges',
    'snapshots',
    () => {
      for (const range of ['short_term', 'medium_term', 'long_term'] as const)
        turnoverSeries(h.snapshots, { range, period: 'snapshot', zone: ZONE });
    },
  ],
  [
    'turnover: monthly series, tracks + artists',
    'snapshots',
    () => {
      turnoverSeries(short, { range: 'short_term', period: 'month', zone: ZONE });
      return turnoverSeries(short, {
        range: 'short_term',
        period: 'month',
        zone: ZONE,
        level: 'artist',
        tracks: h.trackMap,
      });
    },
  ],
  [
    'evolution: per month (plays-weighted)',
    'plays + snapshots',
    () =>
      evolution({
        plays: h.plays,
        snapshots: h.snapshots,
        features: h.features,
        tracks: h.trackMap,
        zone: ZONE,
        period: 'month',
      }),
  ],
  [
    'evolution: per season + summer vs winter',
    'plays + snapshots',
    () =>
      summerVsWinter(
        evolution({
          plays: h.plays,
          snapshots: h.snapshots,
          features: h.features,
          tracks: h.trackMap,
          zone: ZONE,
          period: 'season',
        }),
      ),
  ],
  [
    'diary: months with data (300k plays)',
    'plays + snapshots',
    () => diaryMonths(h.plays, h.snapshots, ZONE),
  ],
  [
    'diary: one month view',
    'plays + snapshots',
    () =>
      diaryMonth({
        plays: h.plays,
        snapshots: h.snapshots,
        tracks: h.trackMap,
        zone: ZONE,
        year: latestMonth!.year,
        month: latestMonth!.month,
      }),
  ],
];

console.log(
  `synthetic history: ${h.snapshots.length} snapshots x 50, ${h.plays.length} plays, ${h.tracks.length} tracks, zone ${ZONE}\n`,
);
console.log(
  '| computation | median wall ms | median CPU ms | plain loop over | loop CPU ms | ratio (CPU) |',
);
console.log('| --- | ---: | ---: | --- | ---: | ---: |');
for (const [name, inputs, fn] of cases) {
  const m = pairedMedians(fn, loops[inputs]);
  console.log(
    `| ${name} | ${m.fn.wall.toFixed(2)} | ${m.fn.cpu.toFixed(2)} | ${inputs} | ${m.loop.cpu.toFixed(3)} | ${(m.fn.cpu / m.loop.cpu).toFixed(1)}x |`,
  );
}
if (sink === 42) console.log('');
