import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RECENT_WINDOW_MS, findGems, isThin, liveGems } from './gems.js';
import { play, snapshot } from './test-support/fixtures.js';
import { TIME_RANGES } from './types.js';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const NOW = Date.UTC(2026, 10, 1);

describe('liveGems', () => {
  it('is long-term minus short-term, in long-term order', () => {
    expect(liveGems(['a', 'b', 'c', 'd', 'b'], ['c', 'x', 'a'])).toEqual(['b', 'd']);
  });
});

describe('findGems', () => {
  it('never returns a track heard within the recent window', () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
    const when = fc.integer({ min: NOW - 3 * 365 * DAY, max: NOW + DAY });
    const snaps = fc
      .array(
        fc.tuple(fc.constantFrom(...TIME_RANGES), when, fc.uniqueArray(ids, { maxLength: 8 })),
        { maxLength: 30 },
      )
      .map((rows) => rows.map(([r, t, list]) => snapshot(r, t, list)));
    const plays = fc
      .array(fc.tuple(ids, when, fc.integer({ min: 0, max: 300_000 })), { maxLength: 80 })
      .map((rows) => rows.map(([id, t, ms]) => play(id, t, ms)));
    fc.assert(
      fc.property(snaps, plays, fc.integer({ min: DAY, max: 400 * DAY }), (ss, ps, window) => {
        const gems = findGems({
          snapshots: ss,
          plays: ps,
          now: NOW,
          zone: 'UTC',
          recentWindowMs: window,
        });
        for (const g of gems) {
          expect(ps.some((p) => p.trackId === g.trackId && p.playedAt >= NOW - window)).toBe(false);
          expect(
            ss.some(
              (s) =>
                s.range === 'short_term' &&
                s.takenAt >= NOW - window &&
                s.trackIds.includes(g.trackId),
            ),
          ).toBe(false);
        }
        expect(new Set(gems.map((g) => g.trackId)).size).toBe(gems.length);
      }),
    );
  });

  it("never lowers a gem's score as time passes without listening", () => {
    const ids = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    const when = fc.integer({ min: NOW - 3 * 365 * DAY, max: NOW });
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...TIME_RANGES), when, fc.uniqueArray(ids, { maxLength: 5 })),
          { maxLength: 12 },
        ),
        fc.array(fc.tuple(ids, when), { maxLength: 20 }),
        fc.integer({ min: 1, max: 1000 * DAY }),
        (rows, plays, later) => {
          const snapshots = rows.map(([r, t, list]) => snapshot(r, t, list));
          const ps = plays.map(([id, t]) => play(id, t));
          const before = findGems({
            snapshots,
            plays: ps,
            now: NOW,
            zone: 'UTC',
            limit: 100,
          }).filter((g) => g.source === 'history');
          const after = new Map(
            findGems({ snapshots, plays: ps, now: NOW + later, zone: 'UTC', limit: 100 }).map(
              (g) => [g.trackId, g.score],
            ),
          );
          for (const g of before) expect(after.get(g.trackId)).toBeGreaterThanOrEqual(g.score);
        },
      ),
    );
  });

  it('scores higher the longer a track has been absent', () => {
    const snaps = [snapshot('long_term', NOW - 400 * DAY, ['a', 'b'])];
    const gems = findGems({
      snapshots: snaps,
      zone: 'UTC',
      now: NOW,
      plays: [play('a', NOW - 300 * DAY), play('b', NOW - 100 * DAY)],
    });
    expect(gems.map((g) => g.trackId)).toEqual(['a', 'b']);
  });

  it('scores higher the stronger (rank) and longer (weeks) a track was loved', () => {
    const weekly = Array.from({ length: 20 }, (_, i) =>
      snapshot(
        'short_term',
        NOW - 500 * DAY + i * WEEK,
        i < 10 ? ['top', 'low', 'brief'] : ['top', 'low'],
      ),
    );
    const gems = findGems({ snapshots: weekly, plays: [], zone: 'UTC', now: NOW });
    expect(gems.map((g) => g.trackId)).toEqual(['top', 'low', 'brief']);
  });

  it('weighs the long-term range above the short-term one', () => {
    const t = NOW - 400 * DAY;
    const gems = findGems({
      snapshots: [snapshot('short_term', t, ['burst']), snapshot('long_term', t, ['lasting'])],
      plays: [],
      zone: 'UTC',
      now: NOW,
    });
    expect(gems.map((g) => g.trackId)).toEqual(['lasting', 'burst']);
  });

  it('weighs a snapshot by the time it stands for, not by how many were taken', () => {
    const start = NOW - 600 * DAY;
    const daily = Array.from({ length: 28 }, (_, i) =>
      snapshot('short_term', start + i * DAY, ['daily']),
    );
    const monthly = [snapshot('short_term', start + 200 * DAY, ['monthly'])];
    // Each run ends with a capture without the track, so both runs stand for exactly 28 days.
    const ends = [
      snapshot('short_term', start + 28 * DAY, []),
      snapshot('short_term', start + 228 * DAY, []),
    ];
    const [first, second] = findGems({
      snapshots: [...daily, ...monthly, ...ends],
      plays: [],
      zone: 'UTC',
      now: NOW,
    });
    // Counted per capture, daily would weigh 28x; by time both stand for four weeks and only absence separates them.
    expect(first!.trackId).toBe('daily');
    expect(second!.score / first!.score).toBeGreaterThan(0.8);
  });

  it('explains itself from the data', () => {
    const snaps = [];
    for (let t = Date.UTC(2023, 1, 6); t < Date.UTC(2023, 8, 20); t += 4 * WEEK) {
      snaps.push(
        snapshot('short_term', t, ['x', 'y', 'z', 'gem']),
        snapshot('long_term', t, ['gem']),
      );
    }
    const plays = [
      play('gem', Date.UTC(2023, 5, 1)),
      play('gem', Date.UTC(2023, 9, 12)),
      play('gem', Date.UTC(2023, 9, 13), 5_000),
    ];
    const [gem] = findGems({ snapshots: snaps, plays, zone: 'Europe/Berlin', now: NOW });
    expect(gem).toMatchObject({
      trackId: 'gem',
      source: 'history',
      lastHeard: Date.UTC(2023, 9, 13),
    });
    expect(gem!.explanation).toBe(
      `in your top 10 in ${snaps.length / 2} snapshots between Feb and Sep 2023; played 2 times; not heard since Oct 2023`,
    );
  });

  it('names the short-term top as evidence when no play is known', () => {
    const snaps = [
      snapshot(
        'short_term',
        Date.UTC(2022, 11, 20),
        Array.from({ length: 30 }, (_, i) => `t${i}`),
      ),
    ];
    const gem = findGems({ snapshots: snaps, plays: [], zone: 'UTC', now: NOW }).find(
      (g) => g.trackId === 't29',
    );
    expect(gem!.explanation).toBe(
      'in your top tracks in 1 snapshot in Dec 2022; not in your 4-week top since Dec 2022',
    );
  });

  it('falls back to the live gems when history is thin, keeping long-term order', () => {
    const snaps = [
      snapshot('long_term', NOW - DAY, ['l1', 's1', 'l2', 'l3']),
      snapshot('short_term', NOW - DAY, ['s1', 's2']),
    ];
    const gems = findGems({
      snapshots: snaps,
      plays: [play('l3', NOW - 10 * DAY)],
      zone: 'UTC',
      now: NOW,
    });
    expect(gems.map((g) => [g.trackId, g.source])).toEqual([
      ['l1', 'live'],
      ['l2', 'live'],
    ]);
    expect(gems[0]!.explanation).toBe(
      '#1 in your top tracks of the past year, but not of the past 4 weeks',
    );
  });

  it('respects the limit and the account', () => {
    const snaps = [
      snapshot('long_term', NOW - 300 * DAY, ['a', 'b', 'c']),
      snapshot('long_term', NOW - 300 * DAY, ['z'], 'other'),
    ];
    expect(
      findGems({
        snapshots: snaps,
        plays: [],
        zone: 'UTC',
        now: NOW,
        limit: 2,
        accountId: 'acc',
      }).map((g) => g.trackId),
    ).toEqual(['a', 'b']);
    expect(DEFAULT_RECENT_WINDOW_MS).toBe(60 * DAY);
  });
});

describe('isThin', () => {
  it('holds until four capture moments or 200 plays, whichever comes first', () => {
    // one sync saves three ranges at one moment: that is one capture, not three
    const moments = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        TIME_RANGES.map((r) => snapshot(r, NOW - i * WEEK, ['a'])),
      ).flat();
    expect(isThin(moments(3), [])).toBe(true);
    expect(isThin(moments(4), [])).toBe(false);
    const plays = (n: number) => Array.from({ length: n }, (_, i) => play('a', NOW - i * DAY));
    expect(isThin([], plays(199))).toBe(true);
    expect(isThin([], plays(200))).toBe(false);
  });
});
