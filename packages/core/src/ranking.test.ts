import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ArtistCounter,
  artistKey,
  creditArtists,
  rankTallies,
  rankWeight,
  type ArtistTally,
} from './ranking.js';
import { track, trackMap } from './test-support/fixtures.js';

describe('rankWeight', () => {
  it('is 1 at #1, decreasing, and still substantial at #50', () => {
    expect(rankWeight(1)).toBe(1);
    for (let r = 1; r < 200; r++) expect(rankWeight(r + 1)).toBeLessThan(rankWeight(r));
    expect(rankWeight(50)).toBeGreaterThan(0.17);
    expect(rankWeight(150)).toBeCloseTo(1 / Math.log2(151));
  });
});

describe('artistKey', () => {
  it('uses the id, else the normalised name', () => {
    expect(artistKey({ id: 'x', name: 'X' })).toBe('x');
    expect(artistKey({ id: null, name: ' Röyksopp ' })).toBe('name:röyksopp');
  });
});

describe('ArtistCounter', () => {
  it('agrees with the Map tally, counts a doubly listed artist once, and resets on take', () => {
    const catalogue = trackMap(
      ...Array.from({ length: 120 }, (_, i) => track(`t${i}`, `a${i % 90}`, `a${(i * 7) % 90}`)),
      track('dup', 'z', 'z'),
    );
    const rows = fc.array(
      fc.tuple(fc.constantFrom(...catalogue.keys(), 'unknown'), fc.integer({ min: 1, max: 9 })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(fc.array(rows, { minLength: 1, maxLength: 3 }), (batches) => {
        const counter = new ArtistCounter(catalogue);
        for (const batch of batches) {
          const tally = new Map<string, ArtistTally>();
          for (const [id, w] of batch) {
            counter.add(counter.artistsOf(id), w);
            creditArtists(tally, catalogue.get(id), w);
          }
          expect(counter.take(10)).toEqual(rankTallies(tally.values(), 10));
        }
      }),
      { numRuns: 60 },
    );
  });
});
