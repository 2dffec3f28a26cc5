import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { periodCard, MIN_CARD_STREAMS } from './period-card.js';
import { playTimeline } from './play-timeline.js';
import { cardPeriod, parseCardKey } from './card-periods.js';
import { monthStart } from './calendar.js';
import { play, track, trackMap } from './test-support/fixtures.js';
import { STREAM_THRESHOLD_MS, type Play } from './types.js';

const H = 3_600_000;
const D = 24 * H;
const BERLIN = 'Europe/Berlin';
const tracks = trackMap(track('a', 'x'), track('b', 'x', 'y'), track('c', 'z'));

describe('periodCard', () => {
  it('counts minutes, streams and the top tracks and artists of the period only', () => {
    const t0 = Date.UTC(2024, 2, 1, 12);
    const plays = [
      play('a', t0 - D), // February: outside
      play('a', t0),
      play('a', t0 + H),
      play('b', t0 + 2 * H, 60_000),
      play('c', t0 + 3 * H, 10_000), // too short for a stream
    ];
    const tl = playTimeline(plays, 'UTC', tracks);
    const card = periodCard({ timeline: tl, from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 3, 1) });
    expect(card.plays).toBe(4);
    expect(card.streams).toBe(3);
    expect(card.msPlayed).toBe(180_000 * 2 + 60_000 + 10_000);
    expect(card.minutes).toBe(7);
    expect(card.topTracks.map((t) => [t.trackId, t.streams])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    // b credits x and y: x has a's 2 streams and b's 1
    expect(card.topArtists.map((a) => [a.name, a.streams])).toEqual([
      ['Artist x', 3],
      ['Artist y', 1],
    ]);
    expect(card.littleData.fewStreams).toBe(true);
  });

  it('cuts the period in the diary time zone: 23:30 UTC on 31 December is New Year in Berlin', () => {
    const newYear = Date.UTC(2023, 11, 31, 23, 30);
    const tl = playTimeline([play('a', newYear)], BERLIN, tracks);
    const y2024 = cardPeriod(
      { kind: 'year', year: 2024 },
      { zone: BERLIN, now: Date.UTC(2026, 0, 1), firstPlay: null },
    );
    const y2023 = cardPeriod(
      { kind: 'year', year: 2023 },
      { zone: BERLIN, now: Date.UTC(2026, 0, 1), firstPlay: null },
    );
    expect(periodCard({ timeline: tl, ...y2024 }).streams).toBe(1);
    expect(periodCard({ timeline: tl, ...y2023 }).streams).toBe(0);
    // and its local hour is 00:30 on a Monday (1 January 2024)
    const clock = periodCard({ timeline: tl, ...y2024 }).clock;
    expect(clock[0 * 24 + 0]).toBe(1);
  });

  it('finds discoveries, the most replayed track, the busiest day and the longest streak', () => {
    const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);
    const plays = [
      play('a', Date.UTC(2024, 3, 10)), // a first heard in April
      play('a', day(1)),
      play('b', day(2)),
      play('b', day(2, 13)),
      play('b', day(2, 14)),
      play('c', day(3)),
      // 4 May without music, then 5..8 May: a 4-day streak
      ...[5, 6, 7, 8].map((d) => play('a', day(d))),
      play('c', day(8, 13), 900_000),
    ];
    const tl = playTimeline(plays, 'UTC', tracks);
    const card = periodCard({ timeline: tl, from: Date.UTC(2024, 4, 1), to: Date.UTC(2024, 5, 1) });
    expect(card.discoveries.count).toBe(2);
    expect(card.discoveries.top.map((t) => t.trackId).sort()).toEqual(['b', 'c']);
    expect(card.mostReplayed).toEqual({
      trackId: 'b',
      date: { year: 2024, month: 5, day: 2 },
      streams: 3,
    });
    expect(card.topDay?.date).toEqual({ year: 2024, month: 5, day: 8 });
    expect(card.longestStreak).toEqual({
      days: 4,
      first: { year: 2024, month: 5, day: 5 },
      last: { year: 2024, month: 5, day: 8 },
    });
    expect(card.activeDays).toBe(7);
  });

  it('says how many of the previous period top tracks survived, and when there is nothing to compare', () => {
    const plays = [
      play('a', Date.UTC(2024, 0, 5)),
      play('b', Date.UTC(2024, 0, 6)),
      play('a', Date.UTC(2024, 1, 5)),
      play('c', Date.UTC(2024, 1, 6)),
    ];
    const tl = playTimeline(plays, 'UTC', tracks);
    const ctx = { zone: 'UTC', now: Date.UTC(2026, 0, 1), firstPlay: null };
    const feb = cardPeriod({ kind: 'month', year: 2024, month: 2 }, ctx);
    expect(periodCard({ timeline: tl, ...feb }).survival).toEqual({
      label: 'January 2024',
      previousTop: 2,
      survived: 1,
    });
    const jan = cardPeriod({ kind: 'month', year: 2024, month: 1 }, ctx);
    const card = periodCard({ timeline: tl, ...jan });
    expect(card.survival).toBeNull();
    expect(card.littleData.noPrevious).toBe(true);
    // the diary starts on 5 January: January's first days are not in it
    expect(card.littleData.diaryStartsInside).toEqual({ year: 2024, month: 1, day: 5 });
    expect(periodCard({ timeline: tl, ...feb }).littleData.diaryStartsInside).toBeNull();
  });

  it('gives a mood only when enough of the streams have audio features', () => {
    const ids = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    const plays = ids.map((id, i) => play(id, Date.UTC(2024, 0, 1 + i)));
    const tl = playTimeline(plays, 'UTC');
    const f = {
      energy: 0.9,
      valence: 0.6,
      danceability: 0.8,
      tempo: 150,
      acousticness: 0.05,
      instrumentalness: 0,
    };
    const span = { from: Date.UTC(2024, 0, 1), to: Date.UTC(2024, 1, 1) };
    const all = periodCard({ timeline: tl, ...span, features: new Map(ids.map((id) => [id, f])) });
    expect(all.mood?.closest).toBe('workout');
    expect(all.mood?.coverage).toBe(1);
    const few = periodCard({ timeline: tl, ...span, features: new Map([['f1', f]]) });
    expect(few.mood).toBeNull();
    expect(few.littleData.noMood).toBe(true);
  });

  it('refuses a period that ends before it starts, in words', () => {
    const tl = playTimeline([], 'UTC');
    expect(() =>
      periodCard({ timeline: tl, from: Date.UTC(2024, 5, 1), to: Date.UTC(2024, 4, 1) }),
    ).toThrow(/must start before it ends/);
    expect(() => periodCard({ timeline: tl, from: NaN, to: 1 })).toThrow(/real start and end/);
  });

  it('an empty period says it has little data rather than crowning a top track', () => {
    const card = periodCard({ timeline: playTimeline([], 'UTC'), from: 0, to: D });
    expect(card).toMatchObject({
      streams: 0,
      topTracks: [],
      mostReplayed: null,
      topDay: null,
      longestStreak: null,
    });
    expect(card.littleData.fewStreams).toBe(true);
    expect(MIN_CARD_STREAMS).toBeGreaterThan(0);
  });
});

describe('cardPeriod', () => {
  const ctx = { zone: BERLIN, now: Date.UTC(2026, 11, 3), firstPlay: Date.UTC(2016, 0, 4) };
  it('cuts months, seasons and years as the diary does, with the period before', () => {
    const m = cardPeriod({ kind: 'month', year: 2024, month: 3 }, ctx);
    expect([m.from, m.to]).toEqual([monthStart(BERLIN, 2024, 3), monthStart(BERLIN, 2024, 4)]);
    expect(m.label).toBe('March 2024');
    expect(m.previous?.label).toBe('February 2024');
    const s = cardPeriod({ kind: 'season', year: 2021, month: 6 }, ctx);
    expect(s.label).toBe('Summer 2021');
    expect([s.from, s.to]).toEqual([monthStart(BERLIN, 2021, 6), monthStart(BERLIN, 2021, 9)]);
    expect(s.previous?.label).toBe('Spring 2021');
    const w = cardPeriod({ kind: 'season', year: 2023, month: 12 }, ctx);
    expect(w.key).toBe('2023-12-winter');
    expect(w.to).toBe(monthStart(BERLIN, 2024, 3));
    expect(cardPeriod({ kind: 'year', year: 2019 }, ctx).label).toBe('2019');
    const all = cardPeriod({ kind: 'all' }, ctx);
    expect([all.from, all.to, all.previous]).toEqual([ctx.firstPlay, ctx.now, null]);
  });

  it('covers two dates from the start of the first to the end of the last, both included', () => {
    const p = cardPeriod(parseCardKey('2024-03-30..2024-04-02')!, ctx);
    expect(p.label).toBe('30 March 2024 – 2 April 2024');
    // 31 March 2024 is 23 hours long in Berlin: 4 local days are 95 hours
    expect((p.to - p.from) / H).toBe(95);
    expect(p.from).toBe(Date.UTC(2024, 2, 29, 23));
    expect(p.previous?.to).toBe(p.from);
  });

  it('reads keys and refuses what is not a period, in words', () => {
    expect(parseCardKey('2019')).toEqual({ kind: 'year', year: 2019 });
    expect(parseCardKey('2021-06-summer')).toEqual({ kind: 'season', year: 2021, month: 6 });
    expect(parseCardKey('since-i-started')).toEqual({ kind: 'all' });
    expect(parseCardKey('March')).toBeNull();
    expect(() => cardPeriod(parseCardKey('2024-04-10..2024-03-02')!, ctx)).toThrow(
      'A period must start before it ends: 10 April 2024 comes after 2 March 2024.',
    );
    expect(() => cardPeriod(parseCardKey('1890')!, ctx)).toThrow(
      '1890 is outside the years a diary can hold (2006 to 2027).',
    );
    expect(() => cardPeriod(parseCardKey('2024-13')!, ctx)).toThrow('There is no month 13');
    expect(() => cardPeriod(parseCardKey('2023-02-30..2023-03-01')!, ctx)).toThrow(
      '2023-02-30 is not a date.',
    );
    expect(() => cardPeriod({ kind: 'season', year: 2021, month: 7 }, ctx)).toThrow(/not in July/);
  });
});

describe('periodCard properties', () => {
  const ZONES = ['UTC', BERLIN, 'America/New_York', 'Australia/Sydney'];
  const START = Date.UTC(2023, 0, 1);
  const arbPlays = fc.array(
    fc.record({
      at: fc.integer({ min: 0, max: 400 * D }),
      track: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      ms: fc.constantFrom(0, 5_000, STREAM_THRESHOLD_MS - 1, STREAM_THRESHOLD_MS, 200_000),
    }),
    { maxLength: 120 },
  );
  const toPlays = (xs: { at: number; track: string; ms: number }[]): Play[] =>
    xs.map((x) => play(x.track, START + x.at, x.ms));

  it('a card over two adjacent periods agrees with the two cards on streams, minutes and discoveries', () => {
    fc.assert(
      fc.property(
        arbPlays,
        fc.constantFrom(...ZONES),
        fc.integer({ min: 0, max: 200 * D }),
        fc.integer({ min: 1, max: 200 * D }),
        fc.integer({ min: 1, max: 200 * D }),
        (xs, zone, a, ab, bc) => {
          const tl = playTimeline(toPlays(xs), zone, tracks);
          const [from, mid, to] = [START + a, START + a + ab, START + a + ab + bc];
          const left = periodCard({ timeline: tl, from, to: mid });
          const right = periodCard({ timeline: tl, from: mid, to });
          const both = periodCard({ timeline: tl, from, to });
          expect(both.streams).toBe(left.streams + right.streams);
          expect(both.msPlayed).toBe(left.msPlayed + right.msPlayed);
          expect(both.plays).toBe(left.plays + right.plays);
          expect(both.discoveries.count).toBe(left.discoveries.count + right.discoveries.count);
        },
      ),
    );
  });

  it('agrees with a plain count over every play, whatever order they come in', () => {
    fc.assert(
      fc.property(
        arbPlays,
        fc.integer({ min: 0, max: 300 * D }),
        fc.integer({ min: 1, max: 200 * D }),
        (xs, a, len) => {
          const plays = toPlays(xs);
          const [from, to] = [START + a, START + a + len];
          const card = periodCard({
            timeline: playTimeline([...plays].reverse(), 'UTC', tracks),
            from,
            to,
          });
          const inside = plays.filter((p) => p.playedAt >= from && p.playedAt < to);
          const streamed = inside.filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS);
          expect(card.streams).toBe(streamed.length);
          const counts = new Map<string, number>();
          for (const p of streamed) counts.set(p.trackId, (counts.get(p.trackId) ?? 0) + 1);
          const max = Math.max(0, ...counts.values());
          if (max > 0) expect(counts.get(card.topTracks[0]!.trackId)).toBe(max);
          else expect(card.topTracks).toEqual([]);
          const firstSeen = new Map<string, number>();
          for (const p of plays)
            firstSeen.set(p.trackId, Math.min(firstSeen.get(p.trackId) ?? Infinity, p.playedAt));
          const fresh = [...firstSeen.values()].filter((t) => t >= from && t < to).length;
          expect(card.discoveries.count).toBe(fresh);
          expect(card.clock.reduce((x, y) => x + y, 0)).toBe(streamed.length);
        },
      ),
    );
  });
});
