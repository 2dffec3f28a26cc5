// The invariant of pushTracks, for any list, any starting prefix and any
// script of lost requests and lost answers: once it returns, the playlist holds
// exactly the list, in order, and no batch was written twice.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { isAmbiguous } from './errors.js';
import { FakePlaylists, trackUris, type AddFate } from './test-support/fake-playlists.js';
import { harness } from './test-support/harness.js';

const fate = fc.constantFrom<AddFate>(
  'ok',
  'ok',
  'ok',
  'fail-before',
  'fail-after',
  'drop-before',
  'drop-after',
);

test('pushTracks ends with exactly the list whatever fails, and writes each batch once', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 320 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(fate, { maxLength: 12 }),
      fc.boolean(),
      async (n, startShare, fates, fresh) => {
        const want = trackUris(n);
        const start = Math.floor(n * startShare);
        const fake = new FakePlaylists();
        fake.lists.set('p', { name: 'x', description: 'y', uris: want.slice(0, start) });
        fake.fates = [...fates];
        const h = harness(fake.handler);
        let resumes = 0;
        for (;;) {
          try {
            await h.client.pushTracks('p', want, {
              freshlyCreated: fresh && start === 0 && resumes === 0,
            });
            break;
          } catch (e) {
            expect(isAmbiguous(e)).toBe(true);
            resumes++;
            expect(resumes).toBeLessThanOrEqual(fates.length);
          }
        }
        expect(fake.lists.get('p')!.uris).toEqual(want);
        const adds = h.calls.filter((c) => c.method === 'POST');
        for (const c of adds)
          expect((c.body as { uris: string[] }).uris.length).toBeLessThanOrEqual(100);
        // writes: one per batch, plus one per add that did not land
        const lost = fates
          .slice(0, fake.adds)
          .filter((f) => f === 'fail-before' || f === 'drop-before').length;
        expect(adds).toHaveLength(Math.ceil((n - start) / 100) + lost);
      },
    ),
    { numRuns: 200, seed: 20261127 },
  );
});
