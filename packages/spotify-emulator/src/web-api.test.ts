import { afterEach, describe, expect, it } from 'vitest';
import { NOT_ALLOWLISTED_MESSAGE } from './index.js';
import { type Connected, connected } from './test-support/setup.js';

let ctx: Connected;
afterEach(async () => {
  await ctx?.emulator.close();
});

const get = (url: string, headers = ctx.headers) => ctx.emulator.app.inject({ url, headers });
const post = (url: string, payload: unknown, headers = ctx.headers) =>
  ctx.emulator.app.inject({ method: 'POST', url, headers, payload: payload as object });

describe('authorization of Web API calls', () => {
  it('answers 401 without a token and with an unknown one', async () => {
    ctx = await connected();
    expect((await get('/v1/me', {} as { authorization: string })).json()).toEqual({
      error: { status: 401, message: 'No token provided' },
    });
    const invalid = await get('/v1/me', { authorization: 'Bearer not-a-token' });
    expect(invalid.statusCode).toBe(401);
    expect(invalid.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it("answers 403 on every call for a user missing from the allow-list, with Spotify's message", async () => {
    ctx = await connected({}, { account: 'outsider' });
    for (const url of ['/v1/me', '/v1/me/top/tracks', '/v1/me/player/recently-played']) {
      const res = await get(url);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: { status: 403, message: NOT_ALLOWLISTED_MESSAGE } });
    }
    expect((await post('/v1/me/playlists', { name: 'x' })).statusCode).toBe(403);
  });

  it('enforces scopes with 403 "Insufficient client scope"', async () => {
    ctx = await connected({}, { scopes: ['user-top-read'] });
    expect((await get('/v1/me/top/tracks')).statusCode).toBe(200);
    const recent = await get('/v1/me/player/recently-played');
    expect(recent.statusCode).toBe(403);
    expect(recent.json().error.message).toBe('Insufficient client scope');
    expect((await post('/v1/me/playlists', { name: 'x' })).statusCode).toBe(403);
  });

  it('a private playlist needs playlist-modify-private, a public one playlist-modify-public', async () => {
    ctx = await connected({}, { scopes: ['playlist-modify-public'] });
    expect((await post('/v1/me/playlists', { name: 'pub', public: true })).statusCode).toBe(201);
    expect((await post('/v1/me/playlists', { name: 'priv', public: false })).statusCode).toBe(403);
  });
});

describe('top items', () => {
  it('validates time_range, limit and offset, and pages with next/previous links up to 99 items', async () => {
    ctx = await connected();
    expect((await get('/v1/me/top/tracks?time_range=forever')).statusCode).toBe(400);
    expect((await get('/v1/me/top/tracks?limit=0')).statusCode).toBe(400);
    expect((await get('/v1/me/top/tracks?limit=51')).statusCode).toBe(400);
    const first = (await get('/v1/me/top/tracks?time_range=short_term&limit=50')).json();
    expect(first).toMatchObject({ limit: 50, offset: 0, previous: null, total: 99 });
    const next = new URL(first.next);
    expect(next.pathname).toBe('/v1/me/top/tracks');
    expect(next.searchParams.get('time_range')).toBe('short_term');
    const second = (await get(next.pathname + next.search)).json();
    expect(second.items).toHaveLength(49);
    expect(second.next).toBeNull();
    const ids = [...first.items, ...second.items].map((t: { id: string }) => t.id);
    expect(new Set(ids).size).toBe(99);
  });

  it('removed fields are absent and cover art points at the emulator', async () => {
    ctx = await connected();
    const track = (await get('/v1/me/top/tracks?limit=1')).json().items[0];
    expect(track).not.toHaveProperty('popularity');
    expect(track).not.toHaveProperty('available_markets');
    expect(track).not.toHaveProperty('linked_from');
    expect(track.album).not.toHaveProperty('label');
    expect(track.external_ids.isrc).toMatch(/^[A-Z]{2}/);
    const image = new URL(track.album.images[0].url);
    expect(image.pathname).toBe(`/images/${track.album.id}.svg`);
    const svg = await ctx.emulator.app.inject({ url: image.pathname });
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toContain('<svg');
    const artist = (await get(`/v1/artists/${track.artists[0].id}`)).json();
    expect(artist).not.toHaveProperty('popularity');
    expect(artist).not.toHaveProperty('followers');
    const me = (await get('/v1/me')).json();
    for (const f of ['country', 'email', 'product', 'followers']) expect(me).not.toHaveProperty(f);
  });

  it('top lists follow the emulator clock', async () => {
    ctx = await connected({ accessTokenLifetimeS: 2 * 365 * 86_400 });
    const ids = async () =>
      (await get('/v1/me/top/tracks?time_range=short_term&limit=50'))
        .json()
        .items.map((t: { id: string }) => t.id);
    const now = await ids();
    ctx.emulator.clock.advance(150 * 86_400_000);
    expect(await ids()).not.toEqual(now);
  });
});

describe('recently played', () => {
  it('pages backwards with before cursors, refuses after+before, and only the last 50 plays are reachable', async () => {
    ctx = await connected();
    expect((await get('/v1/me/player/recently-played?after=1&before=2')).statusCode).toBe(400);
    expect((await get('/v1/me/player/recently-played?limit=51')).statusCode).toBe(400);
    const seen: number[] = [];
    let url: string | null = '/v1/me/player/recently-played?limit=20';
    for (let i = 0; i < 5 && url; i++) {
      const body = (await get(url)).json() as {
        items: { played_at: string }[];
        next: string | null;
      };
      for (const it of body.items) seen.push(Date.parse(it.played_at));
      url = body.next ? new URL(body.next).pathname + new URL(body.next).search : null;
    }
    expect(seen).toHaveLength(50);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(Math.max(...seen)).toBeLessThan(ctx.emulator.clock.now());
  });

  it('after=<cursor> returns only newer plays, so an incremental sync sees each play once', async () => {
    ctx = await connected({ accessTokenLifetimeS: 7 * 86_400 });
    const first = (await get('/v1/me/player/recently-played?limit=50')).json();
    const cursor = first.cursors.after;
    expect((await get(`/v1/me/player/recently-played?after=${cursor}`)).json().items).toEqual([]);
    ctx.emulator.clock.advance(86_400_000);
    const later = (await get(`/v1/me/player/recently-played?limit=50&after=${cursor}`)).json();
    expect(later.items.length).toBeGreaterThan(0);
    for (const it of later.items) expect(Date.parse(it.played_at)).toBeGreaterThan(Number(cursor));
  });
});

describe('tracks and artists by id', () => {
  it('400 for a malformed id, 404 for an unknown one', async () => {
    ctx = await connected();
    expect((await get('/v1/tracks/short')).statusCode).toBe(400);
    expect((await get('/v1/tracks/0000000000000000000000')).statusCode).toBe(404);
    expect((await get('/v1/artists/0000000000000000000000')).statusCode).toBe(404);
  });
});

describe('playlists', () => {
  async function uris(n: number) {
    const a = (await get('/v1/me/top/tracks?time_range=long_term&limit=50')).json().items;
    const b = (await get('/v1/me/top/tracks?time_range=long_term&limit=50&offset=50')).json().items;
    return [...a, ...b].slice(0, n).map((t: { uri: string }) => t.uri);
  }

  it('adds items in order with positions, refuses more than 100 per request, and shows them to the control endpoint', async () => {
    ctx = await connected();
    const created = await post('/v1/me/playlists', {
      name: 'Gems',
      description: 'found again',
      public: false,
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json().items.total).toBe(0);
    const all = await uris(99);
    const tooMany = await post(`/v1/playlists/${id}/items`, { uris: [...all, ...all.slice(0, 2)] });
    expect(tooMany.statusCode).toBe(400);
    const a = await post(`/v1/playlists/${id}/items`, { uris: all.slice(2, 10) });
    expect(a.statusCode).toBe(201);
    const b = await post(`/v1/playlists/${id}/items`, { uris: all.slice(0, 2), position: 0 });
    expect(b.json().snapshot_id).not.toBe(a.json().snapshot_id);
    const viaQuery = await post(
      `/v1/playlists/${id}/items?uris=${encodeURIComponent(all.slice(10, 12).join(','))}&position=10`,
      {},
    );
    expect(viaQuery.statusCode).toBe(201);
    expect(
      (await post(`/v1/playlists/${id}/items`, { uris: all.slice(0, 1), position: 99 })).statusCode,
    ).toBe(400);
    expect(
      (await post(`/v1/playlists/${id}/items`, { uris: ['spotify:track:nope'] })).statusCode,
    ).toBe(400);

    const control = (await ctx.emulator.app.inject({ url: '/_emulator/playlists' })).json();
    expect(control.playlists).toHaveLength(1);
    expect(control.playlists[0]).toMatchObject({
      id,
      name: 'Gems',
      description: 'found again',
      public: false,
    });
    expect(control.playlists[0].uris).toEqual(all.slice(0, 12));

    const page = (await get(`/v1/playlists/${id}/items?limit=5&offset=10`)).json();
    expect(page.items.map((i: { item: { uri: string } }) => i.item.uri)).toEqual(all.slice(10, 12));
    expect(page.items[0]).not.toHaveProperty('track');
    const mine = (await get('/v1/me/playlists')).json();
    expect(mine.items[0]).toMatchObject({ id, name: 'Gems', items: { total: 12 } });
    expect(mine.items[0]).not.toHaveProperty('tracks');
  });

  it('refuses a public collaborative playlist, as Spotify does', async () => {
    ctx = await connected();
    expect((await post('/v1/me/playlists', { name: 'c', collaborative: true })).statusCode).toBe(
      400,
    );
    expect(
      (await post('/v1/me/playlists', { name: 'c', collaborative: true, public: false }))
        .statusCode,
    ).toBe(201);
  });

  it('a playlist that does not exist is 404', async () => {
    ctx = await connected();
    expect((await get('/v1/playlists/0000000000000000000000/items')).statusCode).toBe(404);
  });
});

describe('removed endpoints', () => {
  it.each([
    ['GET', '/v1/users/abc/playlists'],
    ['POST', '/v1/users/abc/playlists'],
    ['GET', '/v1/playlists/abc/tracks'],
    ['POST', '/v1/playlists/abc/tracks'],
    ['GET', '/v1/tracks?ids=a,b'],
    ['GET', '/v1/artists?ids=a,b'],
  ] as const)('%s %s answers 410 Gone with an error body', async (method, url) => {
    ctx = await connected();
    const res = await ctx.emulator.app.inject({
      method,
      url,
      headers: ctx.headers,
      ...(method === 'POST' ? { payload: {} } : {}),
    });
    expect(res.statusCode).toBe(410);
    expect(res.json().error.status).toBe(410);
  });

  it('unknown Web API paths answer 404 with an error body', async () => {
    ctx = await connected();
    const res = await get('/v1/nothing/here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { status: 404, message: 'Service not found' } });
  });
});

describe('ReccoBeats source', () => {
  it('answers up to 40 ids, leaves unknown ones out, and maps back by href', async () => {
    ctx = await connected();
    const tracks = (await get('/v1/me/top/tracks?limit=39')).json().items as {
      id: string;
      external_ids: { isrc: string };
    }[];
    const ids = [...tracks.map((t) => t.id), '0000000000000000000000'];
    const res = await ctx.emulator.app.inject({
      url: `/reccobeats/v1/audio-features?ids=${ids.join(',')}`,
    });
    expect(res.statusCode).toBe(200);
    const content = res.json().content as {
      href: string;
      id: string;
      isrc: string;
      energy: number;
    }[];
    expect(content).toHaveLength(39);
    expect(content.map((c) => c.href.split('/').pop())).toEqual(tracks.map((t) => t.id));
    expect(content[0]!.isrc).toBe(tracks[0]!.external_ids.isrc);
    expect(content[0]!.id).not.toBe(tracks[0]!.id);
    const tooMany = await ctx.emulator.app.inject({
      url: `/reccobeats/v1/audio-features?ids=${[...ids, ...ids].join(',')}`,
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it("gives the same numbers as Spotify's extended-mode audio features", async () => {
    ctx = await connected({ featuresMode: 'extended' });
    const id = (await get('/v1/me/top/tracks?limit=1')).json().items[0].id;
    const spotify = (await get(`/v1/audio-features/${id}`)).json();
    const recco = (
      await ctx.emulator.app.inject({ url: `/reccobeats/v1/audio-features?ids=${id}` })
    ).json().content[0];
    for (const k of [
      'energy',
      'valence',
      'danceability',
      'tempo',
      'acousticness',
      'instrumentalness',
      'key',
      'mode',
    ])
      expect(recco[k]).toBe(spotify[k]);
  });
});

describe('CORS', () => {
  it('answers a browser preflight for the Web API with the Authorization header allowed', async () => {
    ctx = await connected();
    const res = await ctx.emulator.app.inject({
      method: 'OPTIONS',
      url: '/v1/me/top/tracks',
      headers: {
        origin: 'http://127.0.0.1:8888',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.statusCode).toBeLessThan(300);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain(
      'authorization',
    );
  });
});

describe('malformed requests', () => {
  it('a broken JSON body gets a Spotify-shaped 400, not a framework error', async () => {
    ctx = await connected();
    const res = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/v1/me/playlists',
      headers: { ...ctx.headers, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: { status: 400, message: 'Error parsing json' } });
  });
});
