import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { diaryMonth, diaryMonths } from './diary.js';
import { monthKey, monthOf } from './calendar.js';
import { play, snapshot, track, trackMap } from './test-support/fixtures.js';

const H = 3_600_000;

describe('diaryMonths', () => {
  // Instants where a month starts or a DST change happens in these zones: the
  // plays are drawn within a few hours of them, where a naive UTC or
  // fixed-offset bucketing would go wrong.
  const edges = [
    Date.UTC(2024, 2, 31, 1),
    Date.UTC(2024, 2, 31, 22),
    Date.UTC(2024, 9, 27, 1),
    Date.UTC(2024, 9, 31, 23), // Berlin
    Date.UTC(2024, 2, 10, 7),
    Date.UTC(2024, 10, 3, 6),
    Date.UTC(2024, 10, 1, 4),
    Date.UTC(2024, 11, 1, 5), // New York
    Date.UTC(2024, 3, 6, 16),
    Date.UTC(2024, 9, 5, 16),
    Date.UTC(2024, 2, 31, 13),
    Date.UTC(2024, 3, 30, 14), // Sydney
  ];
  const instant = fc
    .tuple(fc.constantFrom(...edges), fc.integer({ min: -6 * H, max: 6 * H }))
    .map(([e, d]) => e + d);

  for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Sydney']) {
    it(`counts the plays that ended in each month in ${zone}, across DST changes`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(instant, fc.integer({ min: 0, max: 60_000 })), {
            minLength: 1,
            maxLength: 80,
          }),
          (rows) => {
            const plays = rows.map(([t, ms], i) => play(`t${i % 7}`, t, ms));
            const expected = new Map<string, { plays: number; streams: number }>();
            for (const p of plays) {
              const m = monthOf(zone, p.playedAt);
              const k = monthKey(m.year, m.month);
              const e = expected.get(k) ?? { plays: 0, streams: 0 };
              e.plays++;
              if (p.msPlayed >= 30_000) e.streams++;
              expected.set(k, e);
            }
            const got = diaryMonths(plays, [], zone);
            expect(
              new Map(got.map((m) => [m.key, { plays: m.plays, streams: m.streams }])),
            ).toEqual(expected);
            for (const m of got) {
              const view = diaryMonth({
                plays,
                snapshots: [],
                tracks: new Map(),
                zone,
                year: m.year,
                month: m.month,
              });
              expect(view.totals.plays).toBe(m.plays);
            }
          },
        ),
        { numRuns: 60 },
      );
    });
  }

  it('lists months with snapshots or plays only, oldest first, per account', () => {
    const months = diaryMonths(
      [play('a', Date.UTC(2024, 4, 2)), play('b', Date.UTC(2024, 0, 2), 1000, 'other')],
      [snapshot('short_term', Date.UTC(2024, 1, 3), ['a'])],
      'UTC',
      'acc',
    );
    expect(months.map((m) => [m.key, m.label, m.plays, m.snapshots])).toEqual([
      ['2024-02', 'February 2024', 0, 1],
      ['2024-05', 'May 2024', 1, 0],
    ]);
    expect(diaryMonths([], [], 'UTC')).toEqual([]);
  });
});

describe('diaryMonth', () => {
  const tracks = trackMap(track('a', 'X'), track('b', 'Y'), track('c', 'X', 'Z'), track('d', 'W'));
  const march = (day: number, hour = 12) => Date.UTC(2024, 2, day, hour);

  it('ranks by streams (plays >= 30 s), then minutes, and credits every artist', () => {
    const plays = [
      play('a', march(1)),
      play('a', march(2)),
      play('a', march(3), 10_000),
      play('b', march(4)),
      play('b', march(5)),
      play('b', march(6), 240_000),
      play('c', march(7)),
      play('d', march(8), 29_999),
      play('d', Date.UTC(2024, 3, 1, 12)),
    ];
    const v = diaryMonth({ plays, snapshots: [], tracks, zone: 'UTC', year: 2024, month: 3 });
    expect(v.source).toBe('plays');
    expect(v.topTracks).toEqual([
      { trackId: 'b', streams: 3, minutes: 10, bestRank: null },
      { trackId: 'a', streams: 2, minutes: 6.2, bestRank: null },
      { trackId: 'c', streams: 1, minutes: 3, bestRank: null },
    ]);
    expect(v.topArtists.map((a) => [a.key, a.weight])).toEqual([
      ['X', 3],
      ['Y', 3],
      ['Z', 1],
    ]);
    expect(v.totals).toEqual({
      plays: 8,
      streams: 6,
      minutes: round1((5 * 180_000 + 10_000 + 240_000 + 29_999) / 60_000),
      snapshots: 0,
    });
    expect(v.newTracks).toBeNull();
  });

  it('places a play by the zone: 00:30 on April 1 in Berlin is April', () => {
    const plays = [play('a', Date.UTC(2024, 2, 31, 22, 30))];
    expect(
      diaryMonth({ plays, snapshots: [], tracks, zone: 'Europe/Berlin', year: 2024, month: 4 })
        .totals.plays,
    ).toBe(1);
    expect(
      diaryMonth({ plays, snapshots: [], tracks, zone: 'UTC', year: 2024, month: 3 }).totals.plays,
    ).toBe(1);
  });

  it('tells new tracks and artists against the previous month', () => {
    const plays = [
      play('a', Date.UTC(2024, 1, 10)),
      play('a', march(2)),
      play('d', march(3)),
      play('c', march(4)),
    ];
    const v = diaryMonth({ plays, snapshots: [], tracks, zone: 'UTC', year: 2024, month: 3 });
    expect(v.newTracks).toEqual(['c', 'd']);
    expect(v.newArtists).toEqual(['W', 'Z']);
  });

  it("falls back to the shortest range of that month's snapshots when it has no plays", () => {
    const snapshots = [
      snapshot('long_term', march(5), ['d', 'a']),
      snapshot('short_term', march(5), ['a', 'b', 'c']),
      snapshot('short_term', march(20), ['b', 'a']),
      snapshot('short_term', Date.UTC(2024, 1, 20), ['a']),
    ];
    const v = diaryMonth({
      plays: [play('d', march(9), 5_000)],
      snapshots,
      tracks,
      zone: 'UTC',
      year: 2024,
      month: 3,
      limit: 2,
    });
    expect(v.source).toBe('snapshots');
    expect(v.range).toBe('short_term');
    expect(v.topTracks.map((t) => [t.trackId, t.bestRank])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    expect(v.newTracks).toEqual(['b', 'c']);
    expect(v.totals.snapshots).toBe(3);
  });

  it('is empty for a month without data', () => {
    const v = diaryMonth({ plays: [], snapshots: [], tracks, zone: 'UTC', year: 2020, month: 1 });
    expect(v).toMatchObject({
      source: 'empty',
      topTracks: [],
      topArtists: [],
      newTracks: null,
      label: 'January 2020',
    });
  });
});

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
