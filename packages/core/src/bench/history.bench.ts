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
import { playTimeline, playRange } from '../play-timeline.js';
import { cardPeriod } from '../card-periods.js';
import { periodCard } from '../period-card.js';
import { onThisDay, yearAtAGlance } from '../on-this-day.js';

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
// A sub-millisecond computation is timed as a batch of runs per sample (and
// divided back), so that the clocks' resolution and one-off pauses do not
// swamp it; a batch lasts about 2 ms.
function repsFor(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  const once = performance.now() - t0;
  return once >= 2 ? 1 : Math.min(500, Math.ceil(2 / Math.max(once, 0.004)));
}

function time(fn: () => unknown, reps: number): Sample {
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) fn();
  return { wall: (performance.now() - t0) / reps, cpu: (cpuMs() - c0) / reps };
}

function pairedMedians(
  fn: () => unknown,
  loop: () => unknown,
  runs = 31,
): { fn: Sample; loop: Sample } {
  // at least 8 runs and 300 ms each, so that a fast computation is timed in
  // its optimised code and not while the JIT is still warming up
  const warm = (f: () => unknown) => {
    const t0 = performance.now();
    for (let i = 0; i < 8 || performance.now() - t0 < 300; i++) f();
  };
  warm(fn);
  warm(loop);
  const [rf, rl] = [repsFor(fn), repsFor(loop)];
  const a: Sample[] = [];
  const b: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(time(fn, rf));
    b.push(time(loop, rl));
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

// Cards (issue 15) read one timeline, built once per history read; each card
// is compared with a plain loop over the very plays it reads.
const DAY = 86_400_000;
const timeline = playTimeline(h.plays, ZONE, h.trackMap);
const cardCtx = { zone: ZONE, now: h.now, firstPlay: h.plays[0]!.playedAt };
const lastYear = new Date(h.now).getUTCFullYear() - 1;
const cardSpans = {
  month: cardPeriod({ kind: 'month', year: lastYear, month: 3 }, cardCtx),
  season: cardPeriod({ kind: 'season', year: lastYear, month: 6 }, cardCtx),
  year: cardPeriod({ kind: 'year', year: lastYear }, cardCtx),
  all: cardPeriod({ kind: 'all' }, cardCtx),
};
// a card with a previous period (for "how much survived") reads its plays too
const loopOver = (span: { from: number; to: number; previous?: { from: number } | null }) => () => {
  const [lo, hi] = playRange(timeline, span.previous?.from ?? span.from, span.to);
  for (let i = lo; i < hi; i++) sink += h.plays[i]!.msPlayed;
};
Object.assign(loops, {
  'the month and the one before': loopOver(cardSpans.month),
  'the month': loopOver({ from: cardSpans.month.from, to: cardSpans.month.to }),
  'the season and the one before': loopOver(cardSpans.season),
  'the year and the one before': loopOver(cardSpans.year),
  'the year': loopOver({ from: cardSpans.year.from, to: cardSpans.year.to }),
  'all plays': loopOver(cardSpans.all),
  // the week around each date: what onThisDay reads, more or less
  '4 weeks of plays': () => {
    for (const k of [1, 2, 5, 10])
      loopOver({
        from: h.now - k * 365.25 * DAY - 4 * DAY,
        to: h.now - k * 365.25 * DAY + 4 * DAY,
      })();
  },
});
type Inputs = keyof typeof loops;
const card = (span: (typeof cardSpans)[keyof typeof cardSpans]) => () =>
  periodCard({
    timeline,
    from: span.from,
    to: span.to,
    previous: span.previous,
    features: h.features,
  });

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
  [
    'card: play timeline (once per history read, 300k plays)',
    'all plays' as Inputs,
    () => playTimeline(h.plays, ZONE, h.trackMap),
  ],
  [
    `card: one month (${cardSpans.month.label})`,
    'the month and the one before' as Inputs,
    card(cardSpans.month),
  ],
  [
    'card: one month, top 50 (as the diary month)',
    'the month' as Inputs,
    () => periodCard({ timeline, from: cardSpans.month.from, to: cardSpans.month.to, limit: 50 }),
  ],
  [
    `card: one season (${cardSpans.season.label})`,
    'the season and the one before' as Inputs,
    card(cardSpans.season),
  ],
  [
    `card: one year (${cardSpans.year.label})`,
    'the year and the one before' as Inputs,
    card(cardSpans.year),
  ],
  ['card: since I started (10 years)', 'all plays' as Inputs, card(cardSpans.all)],
  [
    'on this day (1, 2, 5, 10 years ago)',
    '4 weeks of plays' as Inputs,
    () => onThisDay(timeline, h.now),
  ],
  [
    `year at a glance (${lastYear}: day heatmap + month tops)`,
    'the year' as Inputs,
    () => yearAtAGlance(timeline, lastYear),
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
    `| ${name} | ${m.fn.wall.toFixed(3)} | ${m.fn.cpu.toFixed(3)} | ${inputs} | ${m.loop.cpu.toFixed(3)} | ${(m.fn.cpu / m.loop.cpu).toFixed(1)}x |`,
  );
}
if (sink === 42) console.log('');
