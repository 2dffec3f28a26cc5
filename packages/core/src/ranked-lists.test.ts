import { describe, expect, it } from 'vitest';
import { RankedListComparer } from './ranked-lists.js';

describe('RankedListComparer', () => {
  it('keeps ids stable across calls and drops repeats after their first rank', () => {
    const c = new RankedListComparer();
    expect([...c.intern(['x', 'y', 'x', 'z'])]).toEqual([0, 1, 2]);
    expect([...c.intern(['z', 'x'])]).toEqual([2, 0]);
  });

  it('stays correct past its initial capacity and across many comparisons', () => {
    const c = new RankedListComparer();
    const lists = Array.from({ length: 40 }, (_, w) =>
      c.intern(Array.from({ length: 50 }, (_, i) => `t${w * 10 + i}`)),
    );
    for (let w = 1; w < lists.length; w++) {
      const r = c.compare(lists[w - 1]!, lists[w]!);
      // Each week drops the first 10 and adds 10 new at the bottom.
      expect(r.jaccard).toBeCloseTo(1 - 40 / 60, 12);
      expect(r.exited).toBe(10);
      expect(r.entered).toBe(10);
      expect(r.rankAware).toBeGreaterThan(r.jaccard);
    }
  });

  it('treats two empty lists as identical', () => {
    const c = new RankedListComparer();
    expect(c.compare(c.intern([]), c.intern([]))).toEqual({
      jaccard: 0,
      rankAware: 0,
      entered: 0,
      exited: 0,
    });
  });
});
