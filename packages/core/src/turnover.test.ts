import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  jaccardTurnover,
  rankAwareTurnover,
  rankedArtists,
  rankedDiff,
  topListsPerPeriod,
  turnoverSeries,
} from './turnover.js';
import { play, snapshot } from './test-support/fixtures.js';
import { buildSnapshot } from './snapshots.js';
import type { Track } from './types.js';

const list = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 60 });
const measures = [jaccardTurnover, rankAwareTurnover];

describe('turnover invariants', () => {
  it('identical lists turn over 0', () => {
    fc.assert(
      fc.property(list, (a) => {
        for (const f of measures) expect(f(a, [...a])).toBe(0);
      }),
    );
  });

  it('disjoint non-empty lists turn over 1', () => {
    fc.assert(
      fc.property(list, list, (a, b) => {
        const bOnly = b.map((x) => `b:${x}`);
        const aOnly = a.map((x) => `a:${x}`);
        fc.pre(aOnly.length + bOnly.length > 0);
        for (const f of measures) expect(f(aOnly, bOnly)).toBe(1);
      }),
    );
  });

  it('is symmetric and within [0, 1]', () => {
    fc.assert(
      fc.property(list, list, (a, b) => {
        for (const f of measures) {
          const ab = f(a, b);
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ab).toBeLessThanOrEqual(1);
          expect(ab).toBeCloseTo(f(b, a), 12);
        }
      }),
    );
  });
});

describe('rankAwareTurnover', () => {
  const base = Array.from({ length: 50 }, (_, i) => `t${i}`);
  it('weighs a change at the top more than the same change at the bottom', () => {
    const topSwap = ['new', ...base.slice(1)];
    const bottomSwap = [...base.slice(0, 49), 'new'];
    expect(jaccardTurnover(base, topSwap)).toBe(jaccardTurnover(base, bottomSwap));
    expect(rankAwareTurnover(base, topSwap)).toBeGreaterThan(
      rankAwareTurnover(base, bottomSwap) * 5,
    );
  });
  it('sees a reordering that Jaccard cannot', () => {
    const reversed = [...base].reverse();
    expect(jaccardTurnover(base, reversed)).toBe(0);
    expect(rankAwareTurnover(base, reversed)).toBeGreaterThan(0.5);
  });
  it('counts a shorter list that is a prefix as some turnover', () => {
    expect(rankAwareTurnover(['a'], ['a', 'b'])).toBeGreaterThan(0);
  });
});

describe('rankedDiff', () => {
  it('lists entries in the newer order and exits in the older order', () => {
    expect(rankedDiff(['a', 'b', 'c', 'd'], ['e', 'c', 'a', 'f'])).toEqual({
      entered: ['e', 'f'],
      exited: ['b', 'd'],
      stayed: ['c', 'a'],
    });
  });
});

const track = (id: string, ...artists: string[]): Track => ({
  id,
  name: id,
  artists: artists.map((a) => ({ id: a, name: a })),
  album: { id: null, name: '', imageUrl: null },
  durationMs: null,
  isrc: null,
});

describe('turnoverSeries', () => {
  const snap = (takenAt: number, ids: string[], range: 'short_term' | 'long_term' = 'short_term') =>
    buildSnapshot({ accountId: 'acc', range, takenAt, tracks: ids });

  it('compares the last snapshot of each period with the previous one that exists', () => {
    const series = turnoverSeries(
      [
        snap(Date.UTC(2024, 0, 5), ['x', 'y']),
        snap(Date.UTC(2024, 0, 25), ['a', 'b']),
        snap(Date.UTC(2024, 2, 10), ['a', 'c']),
        snap(Date.UTC(2024, 2, 12), ['q'], 'long_term'),
      ],
      { range: 'short_term', period: 'month', zone: 'UTC' },
    );
    expect(series.map((p) => p.key)).toEqual(['2024-01', '2024-03']);
    expect(series[0]).toMatchObject({ jaccard: null, rankAware: null, entered: 0, exited: 0 });
    expect(series[1]).toMatchObject({ jaccard: 1 - 1 / 3, entered: 1, exited: 1 });
  });

  it('issue 14: says how many periods without a snapshot lie between two compared ones', () => {
    const series = turnoverSeries(
      [
        snap(Date.UTC(2024, 0, 5), ['a']),
        snap(Date.UTC(2024, 1, 5), ['a']),
        snap(Date.UTC(2024, 11, 5), ['b']),
      ],
      { range: 'short_term', period: 'month', zone: 'UTC' },
    );
    expect(series.map((p) => p.skipped)).toEqual([0, 0, 9]);
  });

  it('works at artist level from the tracks', () => {
    const tracks = new Map(
      [track('a', 'A'), track('b', 'B'), track('c', 'A'), track('d', 'C', 'A')].map((t) => [
        t.id,
        t,
      ]),
    );
    expect(rankedArtists(['b', 'a', 'c', 'd'], tracks)).toEqual(['A', 'B', 'C']);
    const series = turnoverSeries(
      [snap(Date.UTC(2024, 0, 5), ['a', 'b']), snap(Date.UTC(2024, 1, 5), ['c', 'd'])],
      { range: 'short_term', period: 'month', zone: 'UTC', level: 'artist', tracks },
    );
    expect(series[1]).toMatchObject({ entered: 1, exited: 1 });
    expect(series[1]!.jaccard).toBeCloseTo(2 / 3);
  });
});

describe('rank-aware turnover against the formula', () => {
  // Straight from the definition, O(k^2), with repeated ids dropped first.
  function reference(a0: string[], b0: string[], p = 0.9): number {
    const a = [...new Set(a0)];
    const b = [...new Set(b0)];
    const k = Math.max(a.length, b.length);
    if (k === 0) return 0;
    let sum = 0;
    for (let d = 1; d <= k; d++) {
      const prefixB = new Set(b.slice(0, d));
      const overlap = a.slice(0, d).filter((x) => prefixB.has(x)).length;
      sum += Math.pow(p, d - 1) * (overlap / d);
    }
    return 1 - (sum * (1 - p)) / (1 - Math.pow(p, k));
  }

  it('matches the definition, duplicates included', () => {
    const items = fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), {
      maxLength: 15,
    });
    fc.assert(
      fc.property(items, items, fc.double({ min: 0.5, max: 0.98, noNaN: true }), (a, b, p) => {
        expect(rankAwareTurnover(a, b, p)).toBeCloseTo(reference(a, b, p), 10);
        const d = rankedDiff(a, b);
        expect(jaccardTurnover(a, b)).toBeCloseTo(
          new Set([...a, ...b]).size === 0 ? 0 : 1 - d.stayed.length / new Set([...a, ...b]).size,
          12,
        );
      }),
    );
  });
});

describe('turnoverSeries per snapshot', () => {
  it('compares every snapshot with the one before it, in time order', () => {
    const s = (t: number, ids: string[]) =>
      buildSnapshot({ accountId: 'acc', range: 'short_term', takenAt: t, tracks: ids });
    const series = turnoverSeries(
      [
        s(Date.UTC(2024, 0, 15), ['a', 'c']),
        s(Date.UTC(2024, 0, 1), ['a', 'b']),
        s(Date.UTC(2024, 0, 8), ['a', 'b']),
      ],
      { range: 'short_term', period: 'snapshot', zone: 'UTC' },
    );
    expect(series.map((p) => [p.start, p.label, p.jaccard, p.entered, p.exited])).toEqual([
      [Date.UTC(2024, 0, 1), 'January 2024', null, 0, 0],
      [Date.UTC(2024, 0, 8), 'January 2024', 0, 0, 0],
      [Date.UTC(2024, 0, 15), 'January 2024', 1 - 1 / 3, 1, 1],
    ]);
  });
});

describe('rankedArtists against a plain tally', () => {
  it('ranks by summed rank weight, ties by key, across many artists', () => {
    const catalogue = new Map<string, Track>(
      Array.from(
        { length: 300 },
        (_, i) => [`t${i}`, track(`t${i}`, `A${i % 150}`, `A${(i * 7) % 150}`)] as const,
      ),
    );
    const ids = fc.uniqueArray(
      fc.integer({ min: 0, max: 299 }).map((i) => `t${i}`),
      { maxLength: 50 },
    );
    fc.assert(
      fc.property(fc.array(ids, { minLength: 1, maxLength: 4 }), (lists) => {
        const series = turnoverSeries(
          lists.map((l, w) =>
            buildSnapshot({
              accountId: 'acc',
              range: 'short_term',
              takenAt: Date.UTC(2024, w, 2),
              tracks: l,
            }),
          ),
          { range: 'short_term', period: 'month', zone: 'UTC', level: 'artist', tracks: catalogue },
        );
        lists.forEach((l, w) => {
          const tally = new Map<string, number>();
          l.forEach((id, r) => {
            for (const a of new Set(catalogue.get(id)!.artists.map((x) => x.id!)))
              tally.set(a, (tally.get(a) ?? 0) + 1 / Math.log2(r + 2));
          });
          const expected = [...tally]
            .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
            .map(([k]) => k);
          expect(rankedArtists(l, catalogue)).toEqual(expected);
          if (w > 0) {
            const prev = rankedArtists(lists[w - 1]!, catalogue);
            expect(series[w]!.jaccard).toBeCloseTo(jaccardTurnover(prev, expected), 12);
          }
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe('topListsPerPeriod', () => {
  const t = (m: number, d = 10) => Date.UTC(2025, m, d);

  it('ranks each month by streams, ignores skips, and keeps snapshots only for months without plays', () => {
    const plays = [
      play('a', t(0)),
      play('b', t(0)),
      play('b', t(0, 11)),
      play('c', t(0, 12), 5_000),
      play('c', t(1)),
    ];
    const snaps = [snapshot('short_term', t(0, 20), ['z']), snapshot('short_term', t(2), ['y'])];
    const lists = topListsPerPeriod({ snapshots: snaps, plays, zone: 'UTC' }, 'month', 'north');
    expect(lists.map((s) => [s.takenAt, s.trackIds])).toEqual([
      [Date.UTC(2025, 0, 1), ['b', 'a']],
      [Date.UTC(2025, 1, 1), ['c']],
      [t(2), ['y']],
    ]);
  });

  it('gives an imported history (plays, no snapshots) a turnover series', () => {
    const plays = [play('a', t(0)), play('b', t(0)), play('a', t(1)), play('c', t(1))];
    const lists = topListsPerPeriod({ snapshots: [], plays, zone: 'UTC' }, 'month', 'north');
    const series = turnoverSeries(lists, { range: 'short_term', period: 'month', zone: 'UTC' });
    expect(series).toHaveLength(2);
    expect(series[1]!.jaccard).toBeCloseTo(2 / 3);
  });

  it('returns the short-term snapshots alone when there are no streams', () => {
    const snaps = [snapshot('short_term', t(0), ['a']), snapshot('long_term', t(0), ['b'])];
    expect(
      topListsPerPeriod({ snapshots: snaps, plays: [], zone: 'UTC' }, 'year', 'north'),
    ).toEqual([snaps[0]]);
  });
});
