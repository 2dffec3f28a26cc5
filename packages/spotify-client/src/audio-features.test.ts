import { describe, expect, test } from 'vitest';
import type { SpotifyError } from './errors.js';
import { apiError, json, type Call } from './test-support/fetch-spy.js';
import { audioFeaturesObject, reccobeatsRow } from './test-support/fixtures.js';
import { caught, harness, T0 } from './test-support/harness.js';

const isSpotify = (c: Call) => c.url.host === 'api.spotify.test';
const ids = (c: Call) => (c.url.searchParams.get('ids') ?? '').split(',');
const manyIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `id${String(i).padStart(4, '0')}`);

/** ReccoBeats that knows every id except those listed, and answers in a shuffled order. */
function recco(unknown: Set<string> = new Set()) {
  return (c: Call) =>
    json(200, {
      content: ids(c)
        .filter((id) => !unknown.has(id))
        .reverse()
        .map((id) => reccobeatsRow(id, 0.3)),
    });
}

describe('audioFeatures', () => {
  test('extended mode: Spotify answers, 100 ids per call, nothing asked elsewhere', async () => {
    const h = harness((c) =>
      json(200, { audio_features: ids(c).map((id) => audioFeaturesObject(id)) }),
    );
    const res = await h.client.audioFeatures(manyIds(250));
    expect(h.calls.map((c) => ids(c).length)).toEqual([100, 100, 50]);
    expect(h.calls.every(isSpotify)).toBe(true);
    expect(res.features.size).toBe(250);
    expect(res.missing).toEqual([]);
    expect(res.features.get('id0007')).toMatchObject({
      trackId: 'id0007',
      source: 'spotify',
      tempo: 118,
      fetchedAt: T0,
    });
  });

  test('development mode: Spotify 403 once, then ReccoBeats in batches of 40, mapped back by href', async () => {
    const h = harness((c) => (isSpotify(c) ? apiError(403, 'Forbidden') : recco()(c)));
    const res = await h.client.audioFeatures(manyIds(90));
    expect(h.calls.filter(isSpotify)).toHaveLength(1);
    expect(h.calls.filter((c) => !isSpotify(c)).map((c) => ids(c).length)).toEqual([40, 40, 10]);
    expect(res.features.size).toBe(90);
    expect(res.features.get('id0042')).toMatchObject({
      trackId: 'id0042',
      source: 'reccobeats',
      tempo: 96,
    });
  });

  test('the refusal is remembered: a second call does not ask Spotify again', async () => {
    const h = harness((c) => (isSpotify(c) ? apiError(404, 'Not found') : recco()(c)));
    await h.client.audioFeatures(['a']);
    await h.client.audioFeatures(['b']);
    expect(h.calls.filter(isSpotify)).toHaveLength(1);
    expect(h.client.stats.byOperation).toEqual({
      'get-several-audio-features': 1,
      'reccobeats-audio-features': 2,
    });
  });

  test('ids ReccoBeats does not know are reported missing', async () => {
    const h = harness((c) =>
      isSpotify(c) ? apiError(403, 'Forbidden') : recco(new Set(['b']))(c),
    );
    const res = await h.client.audioFeatures(['a', 'b', 'c', 'a']);
    expect([...res.features.keys()].sort()).toEqual(['a', 'c']);
    expect(res.missing).toEqual(['b']);
    expect(h.calls.filter((c) => !isSpotify(c)).map(ids)).toEqual([['a', 'b', 'c']]);
  });

  test('a ReccoBeats row for an id not asked for, or for no id at all, is dropped (issue 11)', async () => {
    const h = harness((c) =>
      isSpotify(c)
        ? apiError(403, 'Forbidden')
        : json(200, {
            content: [
              reccobeatsRow('a'),
              reccobeatsRow('z'),
              reccobeatsRow('name:artist\u001ftitle'),
              { ...reccobeatsRow('b'), href: 'https://open.spotify.com/track/' },
            ],
          }),
    );
    const res = await h.client.audioFeatures(['a', 'b']);
    expect([...res.features.keys()]).toEqual(['a']);
    expect(res.missing).toEqual(['b']);
  });

  test('ids Spotify answers null for are asked of the next source', async () => {
    const h = harness((c) =>
      isSpotify(c) ? json(200, { audio_features: [audioFeaturesObject('a'), null] }) : recco()(c),
    );
    const res = await h.client.audioFeatures(['a', 'b']);
    expect(res.features.get('a')?.source).toBe('spotify');
    expect(res.features.get('b')?.source).toBe('reccobeats');
    expect(h.calls.filter((c) => !isSpotify(c)).map(ids)).toEqual([['b']]);
  });

  test('no source available: FEATURES_UNAVAILABLE, and later calls send nothing', async () => {
    const h = harness(() => apiError(403, 'Forbidden'));
    const e = (await caught(h.client.audioFeatures(['a']))) as SpotifyError;
    expect(e.code).toBe('FEATURES_UNAVAILABLE');
    expect(h.calls).toHaveLength(2);
    const again = (await caught(h.client.audioFeatures(['b']))) as SpotifyError;
    expect(again.code).toBe('FEATURES_UNAVAILABLE');
    expect(h.calls).toHaveLength(2);
  });

  test('a ReccoBeats 401 (it takes no credentials) counts as unavailable, not as an expired session', async () => {
    const h = harness((c) =>
      isSpotify(c) ? apiError(403, 'Forbidden') : json(401, { message: 'Unauthorized' }),
    );
    const e = (await caught(h.client.audioFeatures(['a']))) as SpotifyError;
    expect(e.code).toBe('FEATURES_UNAVAILABLE');
    expect(h.tokens.forced).toBe(0);
  });

  test('featuresBaseUrl null disables ReccoBeats', async () => {
    const h = harness(() => apiError(403, 'Forbidden'), { featuresBaseUrl: null });
    const e = (await caught(h.client.audioFeatures(['a']))) as SpotifyError;
    expect(e.code).toBe('FEATURES_UNAVAILABLE');
    expect(h.calls).toHaveLength(1);
  });

  test('spotifyAudioFeatures false: Spotify is never asked, ReccoBeats answers from the first call (issue 12)', async () => {
    // a development-mode app's 403 is logged by the browser as a failed request on every start
    const h = harness((c) => (isSpotify(c) ? apiError(403, 'Forbidden') : recco()(c)), {
      spotifyAudioFeatures: false,
    });
    const res = await h.client.audioFeatures(manyIds(45));
    expect(res.features.size).toBe(45);
    expect(h.calls.some(isSpotify)).toBe(false);
    expect(h.client.stats.byOperation).toEqual({ 'reccobeats-audio-features': 2 });
  });

  test('spotifyAudioFeatures false and no ReccoBeats: FEATURES_UNAVAILABLE without a request', async () => {
    const h = harness(() => json(200, { audio_features: [] }), {
      spotifyAudioFeatures: false,
      featuresBaseUrl: null,
    });
    const e = (await caught(h.client.audioFeatures(['a']))) as SpotifyError;
    expect(e.code).toBe('FEATURES_UNAVAILABLE');
    expect(h.calls).toHaveLength(0);
  });

  test("a ReccoBeats 429 is waited out like Spotify's", async () => {
    let n = 0;
    const h = harness((c) => {
      if (isSpotify(c)) return apiError(403, 'Forbidden');
      return n++ === 0 ? json(429, { message: 'slow down' }, { 'retry-after': '2' }) : recco()(c);
    });
    const res = await h.client.audioFeatures(['a']);
    expect(res.features.size).toBe(1);
    expect(h.sleeps).toEqual([2000]);
  });

  test('no ids: no request', async () => {
    const h = harness(() => apiError(500, 'x'));
    await expect(h.client.audioFeatures([])).resolves.toEqual({ features: new Map(), missing: [] });
    expect(h.calls).toHaveLength(0);
  });
});
