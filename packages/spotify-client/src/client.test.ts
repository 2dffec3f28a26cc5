// Every operation: the request it builds (checked against openapi.yml) and how
// it reads the answer.
import { beforeAll, describe, expect, test } from 'vitest';
import type { SpotifyError } from './errors.js';
import { contractChecker, type ContractChecker } from './test-support/contract.js';
import { apiError, json, type Call, type Handler } from './test-support/fetch-spy.js';
import {
  artistObject,
  paging,
  playlistObject,
  trackObject,
  userObject,
} from './test-support/fixtures.js';
import { API, caught, harness } from './test-support/harness.js';

let checker: ContractChecker;
// parses and compiles the OpenAPI description: seconds under load (issue 12)
beforeAll(async () => {
  checker = await contractChecker();
}, 60_000);

/** Checks each Web API request against the contract before answering it. */
function checked(handler: Handler): Handler {
  return (call, i) => {
    if (call.url.href.startsWith(API)) {
      checker.check({
        method: call.method,
        path: call.url.pathname.slice(new URL(API).pathname.length),
        query: Object.fromEntries(call.url.searchParams),
        body: call.body,
      });
    }
    return handler(call, i);
  };
}

const q = (c: Call) => Object.fromEntries(c.url.searchParams);

describe('me', () => {
  test('GET /me, keyed by account_id', async () => {
    const h = harness(checked(() => json(200, userObject({ id: 'u', account_id: 'acc' }))));
    await expect(h.client.me()).resolves.toEqual({
      accountId: 'acc',
      id: 'u',
      displayName: 'Listener',
      imageUrl: 'https://i.scdn.co/image/u-300',
    });
    expect(h.calls[0]!.url.href).toBe(`${API}/me`);
    expect(h.calls[0]!.headers['authorization']).toBe('Bearer secret-token-1-abcdef');
  });
});

describe('top lists', () => {
  test('topTracks sends time_range, limit and offset and maps the items', async () => {
    const items = [trackObject({ id: 'x1' }), trackObject({ id: 'x2' })];
    const h = harness(checked(() => json(200, paging(items, { limit: 2, total: 80 }))));
    const res = await h.client.topTracks('medium_term', { limit: 2, offset: 10 });
    expect(q(h.calls[0]!)).toEqual({ time_range: 'medium_term', limit: '2', offset: '10' });
    expect(h.calls[0]!.url.pathname).toBe('/v1/me/top/tracks');
    expect(res.total).toBe(80);
    expect(res.items.map((t) => t.id)).toEqual(['x1', 'x2']);
  });

  test('topTracksUpTo(99) reads offset 0 and 49 and drops the overlapping track', async () => {
    const all = Array.from({ length: 99 }, (_, i) => trackObject({ id: `r${i}` }));
    const h = harness(
      checked((c) => {
        const offset = Number(c.url.searchParams.get('offset'));
        const limit = Number(c.url.searchParams.get('limit'));
        return json(200, paging(all.slice(offset, offset + limit), { offset, limit, total: 99 }));
      }),
    );
    const tracks = await h.client.topTracksUpTo('long_term', 99);
    expect(
      h.calls.map((c) => [c.url.searchParams.get('offset'), c.url.searchParams.get('limit')]),
    ).toEqual([
      ['0', '50'],
      ['49', '50'],
    ]);
    expect(tracks.map((t) => t.id)).toEqual(all.map((t) => t.id));
  });

  test('topTracksUpTo with a short list stops after one request', async () => {
    const h = harness(checked(() => json(200, paging([trackObject()], { limit: 50, total: 1 }))));
    expect(await h.client.topTracksUpTo('short_term')).toHaveLength(1);
    expect(h.calls).toHaveLength(1);
  });

  test('topTracksUpTo caps the request at 99', async () => {
    const all = Array.from({ length: 99 }, (_, i) => trackObject({ id: `c${i}` }));
    const h = harness(
      checked((c) => {
        const offset = Number(c.url.searchParams.get('offset'));
        const limit = Number(c.url.searchParams.get('limit'));
        return json(200, paging(all.slice(offset, offset + limit), { offset, limit, total: 99 }));
      }),
    );
    expect(await h.client.topTracksUpTo('short_term', 500)).toHaveLength(99);
  });

  test('topArtists', async () => {
    const h = harness(
      checked(() =>
        json(200, paging([artistObject({ id: 'a9', genres: undefined })], { limit: 50 })),
      ),
    );
    const res = await h.client.topArtists('short_term');
    expect(res.items[0]).toMatchObject({ id: 'a9', genres: [] });
    expect(q(h.calls[0]!)).toEqual({ time_range: 'short_term', limit: '50', offset: '0' });
  });
});

describe('recentlyPlayed', () => {
  const page = (times: string[], after: string | null) => ({
    href: `${API}/me/player/recently-played`,
    limit: 50,
    next: null,
    cursors: after === null ? null : { after, before: '1' },
    items: times.map((t, i) => ({
      played_at: t,
      track: trackObject({ id: `p${i}` }),
      context: null,
    })),
  });

  test('sends after, maps played_at to ms and returns the cursor as nextAfter', async () => {
    const h = harness(
      checked(() =>
        json(200, page(['2026-11-27T10:00:00.000Z', '2026-11-27T09:00:00Z'], '1764237600000')),
      ),
    );
    const res = await h.client.recentlyPlayed({ after: 1_700_000_000_000 });
    expect(q(h.calls[0]!)).toEqual({ limit: '50', after: '1700000000000' });
    expect(res.items.map((i) => i.playedAt)).toEqual([
      Date.UTC(2026, 10, 27, 10),
      Date.UTC(2026, 10, 27, 9),
    ]);
    expect(res.items[0]!.track.id).toBe('p0');
    expect(res.nextAfter).toBe(1764237600000);
  });

  test('an empty page has no cursor: nextAfter null', async () => {
    const h = harness(checked(() => json(200, page([], null))));
    expect((await h.client.recentlyPlayed()).nextAfter).toBeNull();
  });

  test('after and before together are refused before sending', async () => {
    const h = harness(() => json(200, page([], null)));
    const e = (await caught(h.client.recentlyPlayed({ after: 1, before: 2 }))) as SpotifyError;
    expect(e.code).toBe('BAD_REQUEST');
    expect(h.calls).toHaveLength(0);
  });
});

describe('single objects', () => {
  test('track and artist by id', async () => {
    const h = harness(
      checked((c) =>
        c.url.pathname.includes('/tracks/')
          ? json(200, trackObject({ id: 'tt' }))
          : json(200, artistObject({ id: 'aa' })),
      ),
    );
    expect((await h.client.track('tt')).id).toBe('tt');
    expect((await h.client.artist('aa')).id).toBe('aa');
    expect(h.calls.map((c) => c.url.pathname)).toEqual(['/v1/tracks/tt', '/v1/artists/aa']);
  });

  test('an unknown id is NOT_FOUND', async () => {
    const h = harness(checked(() => apiError(404, 'Non existing id')));
    expect(((await caught(h.client.track('nope'))) as SpotifyError).code).toBe('NOT_FOUND');
  });
});

describe('playlists', () => {
  test('createPlaylist posts to /me/playlists, private by default', async () => {
    const h = harness(
      checked((c) =>
        json(
          201,
          playlistObject({ id: 'np', ...(c.body as { name: string; description: string }) }),
        ),
      ),
    );
    const res = await h.client.createPlaylist({ name: 'Gems', description: 'mtm:abc' });
    expect(h.calls[0]!.method).toBe('POST');
    expect(h.calls[0]!.url.pathname).toBe('/v1/me/playlists');
    expect(h.calls[0]!.body).toEqual({ name: 'Gems', description: 'mtm:abc', public: false });
    expect(res).toEqual({
      id: 'np',
      url: 'https://open.spotify.com/playlist/np',
      uri: 'spotify:playlist:np',
    });
  });

  test('findMyPlaylist pages /me/playlists until a match', async () => {
    const all = Array.from({ length: 120 }, (_, i) =>
      playlistObject({
        id: `pl${i}`,
        name: `n${i}`,
        description: i === 103 ? 'made by mtm #k1' : '',
      }),
    );
    const h = harness(
      checked((c) => {
        const offset = Number(c.url.searchParams.get('offset'));
        const limit = Number(c.url.searchParams.get('limit'));
        return json(
          200,
          paging(all.slice(offset, offset + limit), { offset, limit, total: all.length }),
        );
      }),
    );
    const found = await h.client.findMyPlaylist((p) => p.description.includes('#k1'));
    expect(found).toEqual({ id: 'pl103', url: 'https://open.spotify.com/playlist/pl103' });
    expect(h.calls.map((c) => c.url.searchParams.get('offset'))).toEqual(['0', '50', '100']);
    expect(await h.client.findMyPlaylist(() => false)).toBeNull();
  });

  test('findMyPlaylist matches on the description as written, not as Spotify escapes it', async () => {
    const h = harness(
      checked(() =>
        json(
          200,
          paging(
            [playlistObject({ id: 'e1', name: 'n', description: 'gems &#x2F; mtm:k&amp;1' })],
            { limit: 50 },
          ),
        ),
      ),
    );
    expect(await h.client.findMyPlaylist((p) => p.description.includes('/ mtm:k&1'))).toEqual({
      id: 'e1',
      url: 'https://open.spotify.com/playlist/e1',
    });
  });

  test('playlistItemUris reads `item` (2026) and the deprecated `track`', async () => {
    const h = harness(
      checked(() =>
        json(
          200,
          paging(
            [
              { item: { type: 'track', uri: 'spotify:track:a' } },
              { track: { type: 'track', uri: 'spotify:track:b' } },
            ],
            { limit: 50 },
          ),
        ),
      ),
    );
    expect(await h.client.playlistItemUris('p1')).toEqual(['spotify:track:a', 'spotify:track:b']);
    expect(h.calls[0]!.url.pathname).toBe('/v1/playlists/p1/items');
  });

  test('addItems sends uris and position in the body and refuses more than 100', async () => {
    const h = harness(checked(() => json(201, { snapshot_id: 'snapX' })));
    await expect(h.client.addItems('p1', ['spotify:track:a'], { position: 4 })).resolves.toEqual({
      snapshotId: 'snapX',
    });
    expect(h.calls[0]!.body).toEqual({ uris: ['spotify:track:a'], position: 4 });
    const e = (await caught(
      h.client.addItems(
        'p1',
        Array.from({ length: 101 }, (_, i) => `spotify:track:${i}`),
      ),
    )) as SpotifyError;
    expect(e.code).toBe('BAD_REQUEST');
    expect(h.calls).toHaveLength(1);
  });
});

describe('requests of the composite operations follow the contract too', () => {
  test('audioFeatures (Spotify source)', async () => {
    const h = harness(
      checked((c) =>
        json(200, {
          audio_features: (c.url.searchParams.get('ids') ?? '').split(',').map(() => null),
        }),
      ),
      { featuresBaseUrl: null },
    );
    const res = await h.client.audioFeatures(['a', 'b']);
    expect(res.missing).toEqual(['a', 'b']);
    expect(h.calls[0]!.url.pathname).toBe('/v1/audio-features');
  });

  test('pushTracks (reads and writes)', async () => {
    const { FakePlaylists, trackUris } = await import('./test-support/fake-playlists.js');
    const fake = new FakePlaylists();
    fake.lists.set('p', { name: 'n', description: 'd', uris: [] });
    fake.fates = ['fail-after'];
    const h = harness(checked(fake.handler));
    await h.client.pushTracks('p', trackUris(120));
    expect(fake.lists.get('p')!.uris).toEqual(trackUris(120));
    expect(h.calls.map((c) => c.method)).toEqual(['GET', 'POST', 'GET', 'GET', 'POST']);
  });
});
