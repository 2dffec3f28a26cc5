import { describe, expect, test } from 'vitest';
import type { SpotifyError } from './errors.js';
import { FakePlaylists, trackUris } from './test-support/fake-playlists.js';
import { caught, harness } from './test-support/harness.js';

function setup(opts: Parameters<typeof harness>[1] = {}) {
  const fake = new FakePlaylists();
  fake.lists.set('p', { name: 'Gems', description: 'mtm:1', uris: [] });
  const h = harness(fake.handler, opts);
  return { fake, h, uris: () => fake.lists.get('p')!.uris };
}

describe('pushTracks', () => {
  test('a fresh push without failures costs ceil(N/100) requests, batches of 100 at explicit positions', async () => {
    const { h, uris } = setup();
    const want = trackUris(250);
    const progress: number[] = [];
    await h.client.pushTracks('p', want, {
      freshlyCreated: true,
      onProgress: (n) => progress.push(n),
    });
    expect(uris()).toEqual(want);
    expect(h.client.stats.requests).toBe(3);
    expect(h.calls.map((c) => (c.body as { position: number }).position)).toEqual([0, 100, 200]);
    expect(h.calls.map((c) => (c.body as { uris: string[] }).uris.length)).toEqual([100, 100, 50]);
    expect(progress).toEqual([100, 200, 250]);
  });

  test('without freshlyCreated it reads the playlist first', async () => {
    const { h, fake, uris } = setup();
    await h.client.pushTracks('p', trackUris(10));
    expect(fake.reads).toBe(1);
    expect(uris()).toHaveLength(10);
    expect(h.client.stats.byOperation).toEqual({
      'get-playlists-items': 1,
      'add-items-to-playlist': 1,
    });
  });

  test.each(['fail-after', 'drop-after'] as const)(
    'a batch that landed but answered %s is not added again',
    async (fate) => {
      const { h, fake, uris } = setup();
      fake.fates = ['ok', fate, 'ok'];
      const want = trackUris(250);
      await h.client.pushTracks('p', want, { freshlyCreated: true });
      expect(uris()).toEqual(want);
      expect(fake.adds).toBe(3);
      expect(
        h.calls.filter((c) => c.method === 'GET').map((c) => c.url.searchParams.get('offset')),
      ).toEqual(['100', '150']);
      expect(fake.reads).toBe(2); // only the tail from position 100 is read again: 2 pages of 50
    },
  );

  test.each(['fail-before', 'drop-before'] as const)(
    'a batch that did not land (%s) is sent again after a re-read',
    async (fate) => {
      const { h, fake, uris } = setup();
      fake.fates = [fate, 'ok', 'ok'];
      const want = trackUris(150);
      await h.client.pushTracks('p', want, { freshlyCreated: true });
      expect(uris()).toEqual(want);
      expect(fake.adds).toBe(3);
      expect(fake.reads).toBe(1);
      expect(h.sleeps).toHaveLength(1);
    },
  );

  test('resumes from what the playlist already holds (a closed tab), without duplicates', async () => {
    const { h, fake, uris } = setup();
    const want = trackUris(250);
    fake.lists.get('p')!.uris.push(...want.slice(0, 137));
    await h.client.pushTracks('p', want);
    expect(uris()).toEqual(want);
    expect(
      h.calls
        .filter((c) => c.method === 'POST')
        .map((c) => (c.body as { position: number }).position),
    ).toEqual([137, 237]);
  });

  test('a push that is already complete sends no write', async () => {
    const { h, fake, uris } = setup();
    const want = trackUris(30);
    fake.lists.get('p')!.uris.push(...want);
    await h.client.pushTracks('p', want);
    expect(fake.adds).toBe(0);
    expect(uris()).toEqual(want);
  });

  test('a playlist whose content is not a prefix of the list is refused, nothing written', async () => {
    const { h, fake } = setup();
    fake.lists.get('p')!.uris.push('spotify:track:someoneElse');
    const e = (await caught(h.client.pushTracks('p', trackUris(5)))) as SpotifyError;
    expect(e.code).toBe('BAD_REQUEST');
    expect(fake.adds).toBe(0);
  });

  test('ambiguous failures in a row are bounded by maxRetries', async () => {
    const { h, fake, uris } = setup({ maxRetries: 2 });
    fake.fates = ['fail-before', 'fail-before', 'fail-before', 'ok'];
    const e = (await caught(
      h.client.pushTracks('p', trackUris(10), { freshlyCreated: true }),
    )) as SpotifyError;
    expect(e.code).toBe('UPSTREAM');
    expect(fake.adds).toBe(3);
    expect(uris()).toEqual([]);
    // and a later call finishes the job
    await h.client.pushTracks('p', trackUris(10));
    expect(uris()).toEqual(trackUris(10));
  });

  test('a refusal that is not ambiguous (404) is thrown at once', async () => {
    const { h } = setup();
    const e = (await caught(
      h.client.pushTracks('missing', trackUris(3), { freshlyCreated: true }),
    )) as SpotifyError;
    expect(e.code).toBe('NOT_FOUND');
    expect(h.calls).toHaveLength(1);
  });

  test('abort stops the push between batches', async () => {
    const { h, uris } = setup();
    const ctl = new AbortController();
    const e = (await caught(
      h.client.pushTracks('p', trackUris(250), {
        freshlyCreated: true,
        signal: ctl.signal,
        onProgress: (n) => {
          if (n === 100) ctl.abort();
        },
      }),
    )) as SpotifyError;
    expect(e.code).toBe('ABORTED');
    expect(uris()).toHaveLength(100);
  });
});
