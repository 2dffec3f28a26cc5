import { describe, expect, it } from 'vitest';
import { onThisDay, yearAtAGlance } from './on-this-day.js';
import { playTimeline } from './play-timeline.js';
import { periodCard } from './period-card.js';
import { cardPeriod } from './card-periods.js';
import { dayStart, dayOfDate, zoneOffsets, offsetAt } from './local-days.js';
import { play } from './test-support/fixtures.js';

const H = 3_600_000;

describe('onThisDay', () => {
  it("finds the plays of today's local date 1, 2, 5 and 10 years ago, with the top track of that week", () => {
    const zone = 'America/New_York';
    const now = Date.UTC(2026, 11, 3, 15); // 3 December 2026, 10:00 in New York
    const plays = [
      // 3 Dec 2025 at 23:00 New York is 4 Dec 04:00 UTC: still the 3rd there
      play('a', Date.UTC(2025, 11, 4, 4)),
      play('a', Date.UTC(2025, 11, 4, 5)), // 4 Dec 00:00 in New York: not the 3rd
      play('b', Date.UTC(2025, 11, 1, 15)), // Monday of that week
      play('b', Date.UTC(2025, 11, 2, 15)),
      play('c', Date.UTC(2021, 11, 3, 15)), // 5 years ago
      play('d', Date.UTC(2024, 11, 2, 15)), // 2 years ago, but the 2nd
    ];
    const entries = onThisDay(playTimeline(plays, zone), now);
    expect(entries.map((e) => [e.yearsAgo, e.plays, e.tracks.map((t) => t.trackId)])).toEqual([
      [1, 1, ['a']],
      [5, 1, ['c']],
    ]);
    expect(entries[0]!.date).toEqual({ year: 2025, month: 12, day: 3 });
    expect(entries[0]!.weekTop).toEqual({ trackId: 'a', streams: 2 });
  });

  it('looks back from 29 February only to leap years', () => {
    const now = Date.UTC(2028, 1, 29, 12);
    const plays = [play('a', Date.UTC(2027, 1, 28, 12)), play('b', Date.UTC(2024, 1, 29, 12))];
    const entries = onThisDay(playTimeline(plays, 'UTC'), now, [1, 4]);
    expect(entries.map((e) => e.yearsAgo)).toEqual([4]);
  });
});

describe('yearAtAGlance', () => {
  it('counts streams per local day and agrees with the year card', () => {
    const zone = 'Europe/Berlin';
    const plays = [
      play('a', Date.UTC(2023, 11, 31, 23, 30)), // 1 January 2024 in Berlin
      play('a', Date.UTC(2024, 2, 31, 1)),
      play('b', Date.UTC(2024, 2, 31, 2)),
      play('b', Date.UTC(2024, 2, 30, 2)),
      play('c', Date.UTC(2024, 11, 31, 22, 59)),
      play('c', Date.UTC(2024, 11, 31, 23, 1)), // 2025 in Berlin
      play('c', Date.UTC(2024, 5, 1), 1_000), // not a stream
    ];
    const tl = playTimeline(plays, zone);
    const g = yearAtAGlance(tl, 2024);
    expect(g.streams).toHaveLength(366);
    expect(g.streams[0]).toBe(1);
    expect(g.streams[dayOfDate(2024, 3, 31)! - g.firstDay]).toBe(2);
    expect(g.streams[365]).toBe(1);
    const year = cardPeriod(
      { kind: 'year', year: 2024 },
      { zone, now: Date.UTC(2026, 0, 1), firstPlay: null },
    );
    expect(g.streams.reduce((a, b) => a + b, 0)).toBe(
      periodCard({ timeline: tl, ...year }).streams,
    );
    expect(g.monthTops[2]).toBe('b'); // b twice in March, a once
    expect(g.monthTops[0]).toBe('a');
    expect(g.monthTops[5]).toBeNull();
  });
});

describe('local days', () => {
  it('finds the instants of DST changes and local midnights', () => {
    const zone = 'Europe/Berlin';
    const { starts, offsets } = zoneOffsets(zone, Date.UTC(2024, 0, 1), Date.UTC(2024, 11, 31));
    expect(starts.slice(1)).toEqual([Date.UTC(2024, 2, 31, 1), Date.UTC(2024, 9, 27, 1)]);
    expect(offsets).toEqual([H, 2 * H, H]);
    expect(dayStart(zone, dayOfDate(2024, 3, 31)!)).toBe(Date.UTC(2024, 2, 30, 23));
    expect(offsetAt('UTC', 0)).toBe(0);
    // Chile's DST starts at midnight: the day starts at 01:00
    const santiago = dayStart('America/Santiago', dayOfDate(2024, 9, 8)!);
    expect(new Date(santiago).toISOString()).toBe('2024-09-08T04:00:00.000Z');
  });
});
