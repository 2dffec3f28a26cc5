import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tallyStreams } from './tally.js';
import { play } from './test-support/fixtures.js';

describe('tallyStreams', () => {
  it('counts streams per period and track like a naive count, in any play order', () => {
    const row = fc.tuple(
      fc.constantFrom('a', 'b', 'c', 'd'),
      fc.integer({ min: -10, max: 59 }),
      fc.integer({ min: 0, max: 60_000 }),
    );
    fc.assert(
      fc.property(fc.array(row, { maxLength: 200 }), (rows) => {
        const plays = rows.map(([id, t, ms]) => play(id, t, ms));
        const locate = (t: number) => (t < 0 ? -1 : Math.floor(t / 10));
        const got = tallyStreams(plays, locate, 6);
        const actual = new Map<string, number>();
        got.periods.forEach((p, k) =>
          p.tracks.forEach((t, j) => actual.set(`${k}:${got.trackIds[t]}`, p.streams[j]!)),
        );
        const expected = new Map<string, number>();
        for (const p of plays) {
          if (p.msPlayed < 30_000 || p.playedAt < 0) continue;
          const key = `${locate(p.playedAt)}:${p.trackId}`;
          expected.set(key, (expected.get(key) ?? 0) + 1);
        }
        expect(actual).toEqual(expected);
        expect(got.periods).toHaveLength(6);
      }),
    );
  });
});
