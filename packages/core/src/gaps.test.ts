// Issue 14: a diary without silent holes. Gaps from recently-played pages,
// their estimates, their closing by imports, missed snapshot windows.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  completeness,
  estimateMissingPlays,
  gapFromPage,
  gapStates,
  isSpanned,
  missedSnapshotWindows,
  unionSpans,
  unseenSpan,
  type CaptureGap,
  type TimeSpan,
} from './gaps.js';

const H = 3_600_000;
const DAY = 24 * H;
const WEEK = 7 * DAY;
const T0 = Date.UTC(2026, 10, 2); // a Monday

const page = (from: number, n: number, step = 60_000) =>
  Array.from({ length: n }, (_, i) => from + i * step);

describe('gapFromPage', () => {
  it('a full page whose oldest play is newer than the cursor is a gap from the cursor to that play', () => {
    expect(gapFromPage(T0, page(T0 + DAY, 50))).toEqual({ from: T0, to: T0 + DAY });
  });
  it('a page with room left saw everything since the cursor: no gap', () => {
    expect(gapFromPage(T0, page(T0 + DAY, 49))).toBeNull();
  });
  it('a first capture (no cursor) has nothing to be a gap after', () => {
    expect(gapFromPage(0, page(T0, 50))).toBeNull();
  });
  it('takes the oldest play whatever the order of the page', () => {
    expect(gapFromPage(T0, page(T0 + H, 50).reverse())).toEqual({ from: T0, to: T0 + H });
  });
});

describe('unseenSpan', () => {
  it('starts where the previous capture looked last, inside the gap', () => {
    const gap = { from: T0, to: T0 + DAY };
    expect(unseenSpan(gap, T0 + H)).toEqual({ from: T0 + H, to: T0 + DAY });
    expect(unseenSpan(gap, T0 - H)).toEqual(gap);
    expect(unseenSpan(gap, T0 + 2 * DAY)).toEqual({ from: T0 + DAY, to: T0 + DAY });
    expect(unseenSpan(gap, null)).toEqual(gap);
  });
});

describe('estimateMissingPlays', () => {
  // four weeks of a listener who plays 10 streams every weekday evening and none at weekends
  const history: number[] = [];
  for (let d = 0; d < 28; d++) {
    const day = T0 + d * DAY;
    if (new Date(day).getUTCDay() % 6 === 0) continue;
    for (let k = 0; k < 10; k++) history.push(day + 19 * H + k * 5 * 60_000);
  }
  const after = T0 + 4 * WEEK;

  it("follows the listener's week: a weekday evening counts, a weekend does not", () => {
    // Monday 18:00 to Tuesday 18:00: one evening
    expect(estimateMissingPlays(history, { from: after + 18 * H, to: after + 42 * H })).toBe(10);
    // Saturday and Sunday
    expect(estimateMissingPlays(history, { from: after + 5 * DAY, to: after + 7 * DAY })).toBe(0);
  });
  it('a gap of whole weeks counts the whole week each time', () => {
    expect(estimateMissingPlays(history, { from: after, to: after + 2 * WEEK })).toBe(100);
  });
  it('ignores plays after the gap started', () => {
    const later = [...history, ...page(after + 19 * H, 40)];
    expect(estimateMissingPlays(later, { from: after, to: after + DAY })).toBe(10);
  });
  it('a listener at a steady rate: the estimate is the plays they made in the gap, within a few', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 90 }), // minutes between plays
        fc.integer({ min: 0, max: 2 * WEEK }), // where the gap starts, after 8 weeks
        fc.integer({ min: H, max: 5 * DAY }), // how long it is
        (every, offset, length) => {
          const step = every * 60_000;
          const plays = page(T0, Math.ceil((10 * WEEK + 5 * DAY) / step), step);
          const gap = { from: T0 + 8 * WEEK + offset, to: T0 + 8 * WEEK + offset + length };
          const truth = plays.filter((t) => t >= gap.from && t < gap.to).length;
          const estimate = estimateMissingPlays(plays, gap)!;
          expect(Math.abs(estimate - truth)).toBeLessThanOrEqual(4);
        },
      ),
    );
  });
  it('under a week of history: a flat rate; under a day: no estimate', () => {
    const twoDays = page(T0, 48, H); // one stream an hour for two days
    expect(estimateMissingPlays(twoDays, { from: T0 + 48 * H, to: T0 + 72 * H })).toBe(24);
    expect(estimateMissingPlays(page(T0, 5, H), { from: T0 + 6 * H, to: T0 + DAY })).toBeNull();
    expect(estimateMissingPlays([], { from: T0, to: T0 + DAY })).toBeNull();
  });
});

describe('closing gaps', () => {
  const gap: CaptureGap = {
    from: T0 + DAY,
    to: T0 + 3 * DAY,
    foundAt: T0 + 3 * DAY,
    estimate: 150,
  };
  it('a gap closes when one imported range spans it, or several that meet', () => {
    expect(gapStates([gap], [{ from: T0, to: T0 + 4 * DAY }])[0]!.closed).toBe(true);
    expect(
      gapStates(
        [gap],
        [
          { from: T0 + 2 * DAY, to: T0 + 4 * DAY },
          { from: T0, to: T0 + 2 * DAY },
        ],
      )[0]!.closed,
    ).toBe(true);
  });
  it('stays open while any moment of it is uncovered', () => {
    expect(gapStates([gap], [{ from: T0 + DAY + 1, to: T0 + 4 * DAY }])[0]!.closed).toBe(false);
    expect(
      gapStates(
        [gap],
        [
          { from: T0, to: T0 + 2 * DAY - 1 },
          { from: T0 + 2 * DAY, to: T0 + 4 * DAY },
        ],
      )[0]!.closed,
    ).toBe(false);
  });
  it('completeness counts only open gaps, inside the window', () => {
    const window = { from: T0, to: T0 + 4 * DAY };
    expect(completeness(gapStates([gap], []), window)).toBe(0.5);
    expect(completeness(gapStates([gap], [window]), window)).toBe(1);
  });
});

describe('missedSnapshotWindows', () => {
  it('counts each whole cadence beyond the first between captures, and up to now', () => {
    expect(
      missedSnapshotWindows([T0, T0 + WEEK, T0 + 4 * WEEK], WEEK, T0 + 4 * WEEK + DAY),
    ).toEqual([{ from: T0 + WEEK, to: T0 + 4 * WEEK, missed: 2 }]);
    expect(missedSnapshotWindows([T0], WEEK, T0 + 3 * WEEK)).toEqual([
      { from: T0, to: T0 + 3 * WEEK, missed: 2 },
    ]);
  });
  it('refuses a cadence that is not a positive duration', () => {
    expect(() => missedSnapshotWindows([T0], 0, T0)).toThrow(/positive duration/);
  });
});

// --- properties --------------------------------------------------------------

/** A listening timeline (distinct end times) and the moments captures ran. */
const timeline = fc
  .record({
    gaps: fc.array(fc.integer({ min: 1, max: 40 * 60_000 }), { minLength: 1, maxLength: 400 }),
    captures: fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 12 }),
  })
  .map(({ gaps, captures }) => {
    const plays: number[] = [];
    let t = T0;
    for (const g of gaps) plays.push((t += g));
    return { plays, captures: [...new Set(captures)].sort((a, b) => a - b) };
  });

describe('properties', () => {
  it('no silent holes: every play no capture saw lies inside a recorded gap, and no captured play does', () => {
    fc.assert(
      fc.property(timeline, ({ plays, captures }) => {
        let cursor = 0;
        const seen = new Set<number>();
        const gaps: TimeSpan[] = [];
        for (const c of captures) {
          // what recently-played answers at the moment just after play c:
          // the last 50 plays, of which those after the cursor
          const now = plays[Math.min(c, plays.length - 1)]!;
          const listed = plays.filter((p) => p <= now).slice(-50);
          const answer = listed.filter((p) => p > cursor);
          const gap = gapFromPage(cursor, answer);
          if (gap) gaps.push(gap);
          answer.forEach((p) => seen.add(p));
          cursor = Math.max(cursor, ...answer);
        }
        for (const p of plays) {
          if (p > cursor) continue; // not yet asked for
          const inGap = gaps.some((g) => p > g.from && p < g.to);
          if (seen.has(p)) expect(inGap).toBe(false);
          else if (p > Math.min(...seen)) expect(inGap).toBe(true);
        }
      }),
    );
  });

  it('a gap closes exactly when the union of covered ranges spans it', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 200 }))
      .map(([a, len]) => ({ from: a, to: a + len }));
    fc.assert(
      fc.property(span, fc.array(span, { maxLength: 8 }), (gap, covered) => {
        const closed = gapStates([{ ...gap, foundAt: 0, estimate: null }], covered)[0]!.closed;
        // the truth, by brute force on the integer grid and the half-steps between
        const covers = (x: number) => covered.some((c) => c.from <= x && x <= c.to);
        let spanned = true;
        for (let x = gap.from; x <= gap.to; x += 0.5) if (!covers(x)) spanned = false;
        expect(closed).toBe(spanned);
        expect(isSpanned(gap, covered)).toBe(spanned);
      }),
    );
  });

  it('the union of spans keeps every covered moment and adds none', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 60 }))
      .map(([a, len]) => ({ from: a, to: a + len }));
    fc.assert(
      fc.property(fc.array(span, { maxLength: 10 }), (spans) => {
        const u = unionSpans(spans);
        for (let i = 1; i < u.length; i++) expect(u[i]!.from).toBeGreaterThan(u[i - 1]!.to);
        for (let x = 0; x <= 360; x += 0.5) {
          const inAny = spans.some((s) => s.from <= x && x <= s.to);
          expect(u.some((s) => s.from <= x && x <= s.to)).toBe(inAny);
        }
      }),
    );
  });

  it('an estimate is never negative, and grows with the gap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10 * WEEK }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 3 * WEEK }),
        fc.integer({ min: 0, max: 3 * WEEK }),
        (offsets, a, b) => {
          const streams = offsets.map((o) => T0 + o);
          const from = T0 + 10 * WEEK;
          const short = estimateMissingPlays(streams, { from, to: from + Math.min(a, b) });
          const long = estimateMissingPlays(streams, { from, to: from + Math.max(a, b) });
          if (short === null || long === null) return;
          expect(short).toBeGreaterThanOrEqual(0);
          // rounding may cost the longer one at most one play
          expect(long).toBeGreaterThanOrEqual(short - 1);
        },
      ),
    );
  });
});
