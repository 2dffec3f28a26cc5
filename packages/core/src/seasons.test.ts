import { describe, expect, it } from 'vitest';
import { evolution } from './evolution.js';
import type { FeatureVector } from './mood.js';
import { summerVsWinter } from './seasons.js';
import { play, track } from './test-support/fixtures.js';
import type { Play, Track } from './types.js';

// 25 tracks for summer listening and 25 for winter; each month plays its
// season's tracks (spring and autumn a mix).
function history(summerValence: number, winterValence: number, years: number, jitter = 0) {
  const tracks = new Map<string, Track>();
  const features = new Map<string, FeatureVector>();
  for (let i = 0; i < 25; i++) {
    for (const [kind, v] of [
      ['s', summerValence],
      ['w', winterValence],
    ] as const) {
      const id = `${kind}${i}`;
      tracks.set(id, track(id, `${kind}-artist-${i % 5}`));
      features.set(id, {
        energy: 0.6,
        valence: v + (i % 3) * jitter,
        danceability: 0.5,
        tempo: 120,
        acousticness: 0.3,
        instrumentalness: 0,
      });
    }
  }
  const plays: Play[] = [];
  for (let y = 2020; y < 2020 + years; y++) {
    for (let m = 0; m < 12; m++) {
      const kind = [5, 6, 7].includes(m) ? 's' : [11, 0, 1].includes(m) ? 'w' : m % 2 ? 's' : 'w';
      for (let i = 0; i < 25; i++)
        plays.push(play(`${kind}${i}`, Date.UTC(y, m, 1 + (i % 27), 12)));
    }
  }
  return { tracks, features, plays };
}

describe('summerVsWinter', () => {
  it('finds that summers are more upbeat when every summer is', () => {
    const h = history(0.71, 0.6, 4);
    const points = evolution({ ...h, snapshots: [], zone: 'UTC', period: 'season' });
    const [finding] = summerVsWinter(points);
    expect(finding).toMatchObject({
      feature: 'valence',
      higher: 'summer',
      percent: 18,
      text: 'your summers are 18% more upbeat than your winters',
    });
    expect(finding!.seasons.summer).toBeGreaterThanOrEqual(3);
  });

  it('flips with the hemisphere', () => {
    const h = history(0.71, 0.6, 4);
    const points = evolution({
      ...h,
      snapshots: [],
      zone: 'UTC',
      period: 'season',
      hemisphere: 'south',
    });
    expect(summerVsWinter(points)[0]?.text).toBe(
      'your winters are 18% more upbeat than your summers',
    );
  });

  it('says nothing when summers differ among themselves as much as from winters', () => {
    // Four years whose summer tracks swing between very upbeat and very sombre: on
    // average 8% more upbeat than the winters, but with no consistency to say so.
    const years = [0.95, 0.35, 0.9, 0.4].map((v) => history(v, 0.6, 1));
    const shifted = years.flatMap((h, y) =>
      h.plays.map((p) => ({
        ...p,
        trackId: `${y}${p.trackId}`,
        playedAt: p.playedAt + Date.UTC(2020 + y, 0, 1) - Date.UTC(2020, 0, 1),
      })),
    );
    const features = new Map(
      years.flatMap((h, y) => [...h.features].map(([id, f]) => [`${y}${id}`, f] as const)),
    );
    const points = evolution({
      plays: shifted,
      snapshots: [],
      features,
      tracks: new Map(),
      zone: 'UTC',
      period: 'season',
    });
    const summers = points
      .filter((p) => p.season === 'summer' && p.mood)
      .map((p) => p.mood!.valence);
    expect(Math.max(...summers) - Math.min(...summers)).toBeGreaterThan(0.4);
    expect(summers.reduce((a, b) => a + b) / summers.length).toBeGreaterThan(0.6 * 1.05);
    expect(summerVsWinter(points).map((f) => f.feature)).not.toContain('valence');
  });

  it('says nothing from a single summer and winter', () => {
    const h = history(0.9, 0.3, 1);
    const points = evolution({ ...h, snapshots: [], zone: 'UTC', period: 'season' });
    expect(points.some((p) => p.season === 'summer' && p.mood)).toBe(true);
    expect(summerVsWinter(points)).toEqual([]);
  });

  it('says nothing when the difference is below the threshold or seasons lack mood data', () => {
    const small = history(0.62, 0.6, 4);
    expect(
      summerVsWinter(evolution({ ...small, snapshots: [], zone: 'UTC', period: 'season' })),
    ).toEqual([]);
    const big = history(0.9, 0.3, 4);
    const bare = evolution({
      ...big,
      features: new Map(),
      snapshots: [],
      zone: 'UTC',
      period: 'season',
    });
    expect(summerVsWinter(bare)).toEqual([]);
    expect(
      summerVsWinter(evolution({ ...big, snapshots: [], zone: 'UTC', period: 'season' }), {
        minTracks: 26,
      }),
    ).toEqual([]);
  });
});
