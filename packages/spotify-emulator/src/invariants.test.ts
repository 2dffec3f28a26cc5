// Property tests for the invariants other packages lean on.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateExport } from './export.js';
import { DAY_MS, listenerFor } from './listener.js';
import { RateLimiter } from './rate-limit.js';
import { page } from './spotify-objects.js';

describe('page()', () => {
  it('following next links from offset 0 yields every item once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 250 }),
        fc.integer({ min: 1, max: 50 }),
        (items, limit) => {
          const seen: number[] = [];
          let url: string | null = 'http://emu/v1/x?offset=0';
          for (let guard = 0; url && guard < 300; guard++) {
            const u: URL = new URL(url);
            const p = page(u, items, Number(u.searchParams.get('offset')), limit);
            expect(p.total).toBe(items.length);
            expect(p.items.length).toBeLessThanOrEqual(limit);
            seen.push(...p.items);
            url = p.next;
          }
          expect(seen).toEqual(items);
        },
      ),
    );
  });
});

describe('RateLimiter', () => {
  it('never lets more than `limit` calls through in any window, and a denied caller that waits Retry-After gets through', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1_000, max: 30_000 }),
        fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 60 }),
        (limit, windowMs, gaps) => {
          const limiter = new RateLimiter({ limit, windowMs });
          const allowed: number[] = [];
          let now = 1_000_000;
          for (const gap of gaps) {
            now += gap;
            const v = limiter.take('c', now);
            if (!v.allowed) {
              now += v.retryAfterS * 1000;
              expect(limiter.take('c', now).allowed).toBe(true);
            }
            allowed.push(now);
          }
          for (const t of allowed)
            expect(allowed.filter((x) => x > t - windowMs && x <= t).length).toBeLessThanOrEqual(
              limit,
            );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('the modelled plays', () => {
  const listener = listenerFor(42);

  it('of any day are in time order, never longer than the track, and deterministic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 13_000, max: 22_000 }), (day) => {
        const plays = listener.playsOfDay(day);
        for (let i = 0; i < plays.length; i++) {
          const p = plays[i]!;
          expect(p.msPlayed).toBeLessThanOrEqual(listener.catalogue.tracks[p.track]!.durationMs);
          expect(p.msPlayed).toBeGreaterThan(0);
          if (i > 0) expect(p.endedAt).toBeGreaterThanOrEqual(plays[i - 1]!.endedAt);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('exporting [a, c) equals exporting [a, b) then [b, c): imports can be split at any moment', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000 }),
        fc.integer({ min: 1, max: 5 * DAY_MS }),
        fc.integer({ min: 1, max: 5 * DAY_MS }),
        (startDay, firstLen, secondLen) => {
          const a = Date.UTC(2020, 0, 1) + startDay * DAY_MS;
          const b = a + firstLen;
          const c = b + secondLen;
          const rowsOf = (from: number, to: number) =>
            generateExport({ seed: 42, from, to })
              .filter((f) => f.name.includes('Streaming_History_Audio_'))
              .flatMap((f) => JSON.parse(f.text) as unknown[]);
          expect([...rowsOf(a, b), ...rowsOf(b, c)]).toEqual(rowsOf(a, c));
        },
      ),
      { numRuns: 25 },
    );
  });
});
