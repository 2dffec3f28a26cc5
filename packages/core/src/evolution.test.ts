import { describe, expect, it } from 'vitest';
import { evolution } from './evolution.js';
import type { FeatureVector } from './mood.js';
import { play, snapshot, track, trackMap } from './test-support/fixtures.js';

const fv = (energy: number, valence = 0.5): FeatureVector => ({
  energy,
  valence,
  danceability: 0.5,
  tempo: 120,
  acousticness: 0.5,
  instrumentalness: 0,
});
const tracks = trackMap(track('a', 'X'), track('b', 'Y'), track('c', 'Z'), track('n', 'X'));
const features = new Map([
  ['a', fv(1)],
  ['b', fv(0)],
  ['c', fv(0.5)],
]);
const jan = (d: number) => Date.UTC(2024, 0, d);
const feb = (d: number) => Date.UTC(2024, 1, d);

describe('evolution', () => {
  it('weighs mood by streams and reports how much of the listening had features', () => {
    const plays = [
      play('a', jan(1)),
      play('a', jan(2)),
      play('a', jan(3)),
      play('b', jan(4)),
      play('b', jan(5), 10_000),
      play('n', jan(6)),
    ];
    const [p] = evolution({ plays, snapshots: [], features, tracks, zone: 'UTC', period: 'month' });
    expect(p).toMatchObject({
      key: '2024-01',
      basis: 'plays',
      tracksWithFeatures: 2,
      coverage: 0.8,
      artistChurn: null,
    });
    expect(p!.mood!.energy).toBeCloseTo(0.75);
    expect(p!.topArtists.map((a) => [a.key, a.weight])).toEqual([
      ['X', 4],
      ['Y', 1],
    ]);
  });

  it('falls back to rank weights from snapshots in periods without plays', () => {
    const snapshots = [
      snapshot('short_term', feb(3), ['b', 'a']),
      snapshot('long_term', feb(3), ['a']),
      snapshot('short_term', feb(20), ['b', 'a']),
    ];
    const points = evolution({
      plays: [play('a', jan(5))],
      snapshots,
      features,
      tracks,
      zone: 'UTC',
      period: 'month',
    });
    expect(points.map((p) => [p.key, p.basis])).toEqual([
      ['2024-01', 'plays'],
      ['2024-02', 'rank'],
    ]);
    // #1 weighs 1 and #2 weighs 1/log2(3): the mean leans towards b (energy 0).
    expect(points[1]!.mood!.energy).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
    expect(points[1]!.topArtists[0]).toMatchObject({ key: 'Y', weight: 1 });
    expect(points[1]!.artistChurn).toEqual({ entered: ['Y'], exited: [], turnover: 0.5 });
  });

  it('keeps empty periods in the series and compares churn with the last period that had data', () => {
    const plays = [play('a', jan(5)), play('c', Date.UTC(2024, 3, 2))];
    const points = evolution({
      plays,
      snapshots: [],
      features,
      tracks,
      zone: 'UTC',
      period: 'month',
    });
    expect(points.map((p) => p.basis)).toEqual(['plays', 'none', 'none', 'plays']);
    expect(points[3]!.artistChurn).toEqual({ entered: ['Z'], exited: ['X'], turnover: 1 });
    expect(points[1]!.mood).toBeNull();
  });

  it('can be forced to one weighting and one account', () => {
    const plays = [play('a', jan(5)), play('b', jan(6), 60_000, 'other')];
    const snapshots = [snapshot('short_term', jan(7), ['c'])];
    const byRank = evolution({
      plays,
      snapshots,
      features,
      tracks,
      zone: 'UTC',
      period: 'year',
      weighting: 'rank',
    });
    expect(byRank[0]).toMatchObject({ key: '2024', basis: 'rank' });
    expect(byRank[0]!.mood!.energy).toBe(0.5);
    const mine = evolution({
      plays,
      snapshots: [],
      features,
      tracks,
      zone: 'UTC',
      period: 'year',
      accountId: 'acc',
    });
    expect(mine[0]!.mood!.energy).toBe(1);
  });

  it('is empty without data', () => {
    expect(
      evolution({ plays: [], snapshots: [], features, tracks, zone: 'UTC', period: 'season' }),
    ).toEqual([]);
  });
});
