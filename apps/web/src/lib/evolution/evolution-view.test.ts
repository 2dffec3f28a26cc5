import { describe, expect, it } from 'vitest';
import type { EvolutionPoint, FeatureVector, Play, Snapshot, TurnoverPoint } from '@mtm/core';
import { track } from '$lib/db/test-db';
import {
  buildEvolutionView,
  churnSummary,
  moodSummary,
  seasonsSummary,
  turnoverSummary,
} from './evolution-view';

const A = 'acc';
const snap = (takenAt: number, trackIds: string[]): Snapshot => ({
  id: `s-${takenAt}`,
  accountId: A,
  takenAt,
  range: 'short_term',
  trackIds,
});
const tp = (
  label: string,
  jaccard: number | null,
  rankAware: number | null,
  entered = 0,
  exited = 0,
  skipped = 0,
): TurnoverPoint => ({
  key: label,
  label,
  start: 0,
  snapshotId: label,
  jaccard,
  rankAware,
  entered,
  exited,
  skipped,
});

describe('turnoverSummary', () => {
  it('says what changed between the last two periods and the average', () => {
    const s = turnoverSummary(
      [tp('Jan 2026', null, null), tp('Feb 2026', 0.5, 0.4, 5, 5), tp('Mar 2026', 0.25, 0.2, 2, 2)],
      'month',
    );
    expect(s).toBe(
      'From Feb 2026 to Mar 2026, 25% of your top tracks changed (20% when the top of the list counts more): 2 came in and 2 dropped out. On average 38% change from one month to the next.',
    );
  });
  it('issue 14: never compares across months without data as if they were adjacent', () => {
    const s = turnoverSummary(
      [tp('Jan 2026', null, null), tp('Dec 2026', 1, 1, 50, 50, 10)],
      'month',
    );
    expect(s).toMatch(
      /^Your diary has no top tracks for the 10 months between Jan 2026 and Dec 2026, so this is not a change from one month to the next: from Jan 2026 to Dec 2026, 100%/,
    );
    expect(s).not.toMatch(/On average/);
  });
  it('explains why there is nothing to compare yet', () => {
    expect(turnoverSummary([tp('Jan 2026', null, null)], 'month')).toMatch(
      /at least two months; your diary has one/,
    );
    expect(turnoverSummary([], 'year')).toMatch(/two years; your diary has none/);
  });
});

describe('summaries of mood, churn and seasons', () => {
  const point = (
    label: string,
    energy: number | null,
    churn: EvolutionPoint['artistChurn'] = null,
  ): EvolutionPoint => ({
    key: label,
    label,
    start: 0,
    end: 1,
    season: null,
    basis: 'plays',
    mood:
      energy === null
        ? null
        : {
            energy,
            valence: 0.5,
            danceability: 0.5,
            tempo: 120,
            acousticness: 0.2,
            instrumentalness: 0,
          },
    coverage: 1,
    tracksWithFeatures: 30,
    topArtists: [{ key: 'x', name: 'Xiu Xiu', weight: 1 }],
    artistChurn: churn,
  });
  it('gives the range of energy over time', () => {
    expect(
      moodSummary([point('Jan 2026', 0.4), point('Feb 2026', null), point('Mar 2026', 0.8)]),
    ).toBe(
      'Energy averaged 0.60 (from 0.40 in Jan 2026 to 0.80 in Mar 2026); happiness averaged 0.50 (from 0.50 to 0.50).',
    );
    expect(moodSummary([point('Jan 2026', null)])).toMatch(/No mood data yet/);
  });
  it('names the artists that came and went', () => {
    const prev = {
      ...point('Jan 2026', 0.5),
      topArtists: [{ key: 'y', name: 'Yo La Tengo', weight: 1 }],
    };
    const s = churnSummary([
      prev,
      point('Feb 2026', 0.5, { entered: ['x'], exited: ['y'], turnover: 1 }),
    ]);
    expect(s).toBe(
      'In Feb 2026, 1 artist came into your top artists (Xiu Xiu) and 1 left (Yo La Tengo).',
    );
  });
  it('issue 14: says which period it compares with when periods without data lie between', () => {
    const prev = {
      ...point('Jan 2026', 0.5),
      topArtists: [{ key: 'y', name: 'Yo La Tengo', weight: 1 }],
    };
    const empty = (label: string) => ({ ...point(label, null), basis: 'none' as const });
    const s = churnSummary([
      prev,
      empty('Feb 2026'),
      empty('Mar 2026'),
      point('Apr 2026', 0.5, { entered: ['x'], exited: ['y'], turnover: 1 }),
    ]);
    expect(s).toBe(
      'In Apr 2026 (compared with Jan 2026: your diary has nothing for the 2 periods between), 1 artist came into your top artists (Xiu Xiu) and 1 left (Yo La Tengo).',
    );
  });
  it('states a seasonal finding only when core found one', () => {
    expect(seasonsSummary([])).toMatch(/Not enough summers and winters/);
    expect(
      seasonsSummary([
        {
          feature: 'valence',
          higher: 'summer',
          summer: 0.6,
          winter: 0.5,
          percent: 20,
          seasons: { summer: 2, winter: 2 },
          text: 'your summers are 20% more upbeat than your winters',
        },
      ]),
    ).toBe('Your summers are 20% more upbeat than your winters.');
  });
});

describe('buildEvolutionView', () => {
  it('computes turnover per month from the stored snapshots', () => {
    const t = (m: number) => Date.UTC(2026, m, 15);
    const snaps = [snap(t(0), ['a', 'b']), snap(t(1), ['a', 'c']), snap(t(2), ['d', 'c'])];
    const features = new Map<string, FeatureVector>(
      ['a', 'b', 'c', 'd'].map((id) => [
        id,
        {
          energy: 0.5,
          valence: 0.5,
          danceability: 0.5,
          tempo: 120,
          acousticness: 0.1,
          instrumentalness: 0,
        },
      ]),
    );
    const plays: Play[] = [];
    const view = buildEvolutionView(
      {
        snapshots: snaps,
        plays,
        tracks: new Map(['a', 'b', 'c', 'd'].map((id) => [id, track(id)])),
        features,
        zone: 'UTC',
      },
      'month',
    );
    expect(view.turnover[0]!.jaccard).toBeNull();
    expect(view.turnover[1]!.jaccard).toBeCloseTo(2 / 3);
    expect(view.turnover[2]!.jaccard).toBeCloseTo(2 / 3);
    expect(view.points.filter((p) => p.mood !== null)).toHaveLength(3);
    expect(view.summary.turnover).toMatch(/^From February 2026 to March 2026, 67%/);
  });
});

describe('buildEvolutionView on an imported history', () => {
  const play = (trackId: string, playedAt: number, msPlayed = 200_000): Play => ({
    accountId: A,
    playedAt,
    trackId,
    msPlayed,
    source: 'export',
  });
  const t = (m: number, d = 10) => Date.UTC(2025, m, d);

  it('gives an imported history (plays, no snapshots) a turnover series', () => {
    const plays = [play('a', t(0)), play('b', t(0)), play('a', t(1)), play('c', t(1))];
    const view = buildEvolutionView(
      { snapshots: [], plays, tracks: new Map(), features: new Map(), zone: 'UTC' },
      'month',
    );
    expect(view.turnover).toHaveLength(2);
    expect(view.turnover[1]!.jaccard).toBeCloseTo(2 / 3);
  });
});
