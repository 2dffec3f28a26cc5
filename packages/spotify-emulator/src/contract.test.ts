// Every response of an operation the app uses validates against openapi.yml
// (with the documented overrides in contract.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractValidator, type ContractValidator } from './contract.js';
import { type Emulator, createEmulator, headlessConsent } from './index.js';

const REDIRECT = 'http://127.0.0.1:8888/auth/callback';
const CLIENT = {
  clientId: 'contract-client',
  clientSecret: 'contract-secret',
  redirectUris: [REDIRECT],
};

let emulator: Emulator;
let contract: ContractValidator;
let auth: { authorization: string };
let tokenAnswer: unknown;

beforeAll(async () => {
  contract = await createContractValidator();
  emulator = await createEmulator({
    seed: 3,
    startTime: Date.UTC(2025, 8, 15, 12),
    clients: [CLIENT],
    controls: true,
  });
  const tokens = await headlessConsent(emulator, {
    clientId: CLIENT.clientId,
    clientSecret: CLIENT.clientSecret,
    redirectUri: REDIRECT,
  });
  tokenAnswer = tokens;
  auth = { authorization: `Bearer ${tokens.access_token}` };
}, 30_000);

afterAll(async () => {
  await emulator?.close();
});

async function call(
  operationId: string,
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = auth,
) {
  const res = await emulator.app.inject({
    method,
    url,
    headers,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
  const body = res.json();
  const result = contract.validateResponse(operationId, res.statusCode, body);
  expect(result.errors).toEqual([]);
  return { status: res.statusCode, body };
}

describe('contract: Web API responses validate against openapi.yml', () => {
  it('GET /me has account_id and none of the removed fields', async () => {
    const { status, body } = await call('get-current-users-profile', 'GET', '/v1/me');
    expect(status).toBe(200);
    expect(typeof body.account_id).toBe('string');
  });

  it.each(['short_term', 'medium_term', 'long_term'])(
    'GET /me/top/tracks and /me/top/artists (%s), every page',
    async (range) => {
      for (const offset of [0, 50]) {
        const tracks = await call(
          'get-users-top-tracks',
          'GET',
          `/v1/me/top/tracks?time_range=${range}&limit=50&offset=${offset}`,
        );
        expect(tracks.status).toBe(200);
        expect(tracks.body.items.length).toBeGreaterThan(0);
        const artists = await call(
          'get-users-top-artists',
          'GET',
          `/v1/me/top/artists?time_range=${range}&limit=50&offset=${offset}`,
        );
        expect(artists.status).toBe(200);
      }
    },
  );

  it('GET /me/player/recently-played with and without cursors', async () => {
    const first = await call(
      'get-recently-played',
      'GET',
      '/v1/me/player/recently-played?limit=20',
    );
    expect(first.body.items).toHaveLength(20);
    await call(
      'get-recently-played',
      'GET',
      `/v1/me/player/recently-played?limit=50&before=${first.body.cursors.before}`,
    );
    const after = await call(
      'get-recently-played',
      'GET',
      `/v1/me/player/recently-played?after=${first.body.cursors.after}`,
    );
    expect(after.body.items).toEqual([]);
  });

  it('GET /tracks/{id} and /artists/{id}, found and not found', async () => {
    const top = (await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks?limit=1')).body
      .items[0];
    expect((await call('get-track', 'GET', `/v1/tracks/${top.id}`)).status).toBe(200);
    expect((await call('get-an-artist', 'GET', `/v1/artists/${top.artists[0].id}`)).status).toBe(
      200,
    );
  });

  it('playlists: create (201), add items (201), read the playlist, its items and my playlists', async () => {
    const created = await call('create-playlist', 'POST', '/v1/me/playlists', {
      name: 'Contract',
      description: 'made by a test',
      public: false,
    });
    expect(created.status).toBe(201);
    const top = (await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks?limit=3')).body
      .items as { uri: string }[];
    const added = await call(
      'add-items-to-playlist',
      'POST',
      `/v1/playlists/${created.body.id}/items`,
      { uris: top.map((t) => t.uri) },
    );
    expect(added.status).toBe(201);
    const full = await call('get-playlist', 'GET', `/v1/playlists/${created.body.id}`);
    expect(full.body.items.total).toBe(3);
    const items = await call(
      'get-playlists-items',
      'GET',
      `/v1/playlists/${created.body.id}/items?limit=2`,
    );
    expect(items.body.items.map((i: { item: { uri: string } }) => i.item.uri)).toEqual(
      top.slice(0, 2).map((t) => t.uri),
    );
    const mine = await call('get-a-list-of-current-users-playlists', 'GET', '/v1/me/playlists');
    expect(mine.body.items[0].id).toBe(created.body.id);
  });

  it('audio features: 403 in development mode, data in extended mode (null for unknown ids)', async () => {
    const id = (await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks?limit=1')).body
      .items[0].id;
    expect(
      (await call('get-several-audio-features', 'GET', `/v1/audio-features?ids=${id}`)).status,
    ).toBe(403);
    expect((await call('get-audio-features', 'GET', `/v1/audio-features/${id}`)).status).toBe(403);
    await emulator.app.inject({
      method: 'POST',
      url: '/_emulator/features-mode',
      payload: { mode: 'extended' },
    });
    const many = await call(
      'get-several-audio-features',
      'GET',
      `/v1/audio-features?ids=${id},0000000000000000000000`,
    );
    expect(many.body.audio_features[0].id).toBe(id);
    expect(many.body.audio_features[1]).toBeNull();
    expect((await call('get-audio-features', 'GET', `/v1/audio-features/${id}`)).status).toBe(200);
    await emulator.app.inject({
      method: 'POST',
      url: '/_emulator/features-mode',
      payload: { mode: 'development' },
    });
  });

  it('error answers (401, 403, 429) have the documented error body', async () => {
    expect(
      (
        await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks', undefined, {
          authorization: 'Bearer nope',
        })
      ).status,
    ).toBe(401);
    await emulator.app.inject({
      method: 'POST',
      url: '/_emulator/faults',
      payload: { rate: 1, kinds: ['quota'] },
    });
    const quota = await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks');
    expect(quota.status).toBe(429);
    expect(quota.body.error.reason).toBe('QUOTA_EXCEEDED');
    await emulator.app.inject({ method: 'DELETE', url: '/_emulator/faults' });
  });

  it('the ReccoBeats source and the token endpoint match the shapes API-NOTES describes', async () => {
    const top = (await call('get-users-top-tracks', 'GET', '/v1/me/top/tracks?limit=3')).body
      .items as { id: string }[];
    const res = await emulator.app.inject({
      url: `/reccobeats/v1/audio-features?ids=${top.map((t) => t.id).join(',')}`,
    });
    expect(res.json().content).toHaveLength(3);
    expect(
      contract.validateResponse('reccobeats-get-audio-features', res.statusCode, res.json()).errors,
    ).toEqual([]);
    expect(contract.validateResponse('accounts-token', 200, tokenAnswer).errors).toEqual([]);
  });
});

describe('contract: error answers of every operation', () => {
  const OPERATIONS: [string, 'GET' | 'POST', string, unknown?][] = [
    ['get-current-users-profile', 'GET', '/v1/me'],
    ['get-users-top-tracks', 'GET', '/v1/me/top/tracks'],
    ['get-users-top-artists', 'GET', '/v1/me/top/artists'],
    ['get-recently-played', 'GET', '/v1/me/player/recently-played'],
    ['get-track', 'GET', '/v1/tracks/0000000000000000000000'],
    ['get-an-artist', 'GET', '/v1/artists/0000000000000000000000'],
    ['create-playlist', 'POST', '/v1/me/playlists', { name: 'x' }],
    ['get-a-list-of-current-users-playlists', 'GET', '/v1/me/playlists'],
    ['get-playlist', 'GET', '/v1/playlists/0000000000000000000000'],
    ['get-playlists-items', 'GET', '/v1/playlists/0000000000000000000000/items'],
    ['add-items-to-playlist', 'POST', '/v1/playlists/0000000000000000000000/items', { uris: [] }],
    ['get-several-audio-features', 'GET', '/v1/audio-features?ids=0000000000000000000000'],
    ['get-audio-features', 'GET', '/v1/audio-features/0000000000000000000000'],
  ];

  it.each(OPERATIONS)(
    '%s: 401 without a valid token and 429 under a rate-limit fault',
    async (operationId, method, url, payload) => {
      const unauthorized = await call(operationId, method, url, payload, {
        authorization: 'Bearer expired-or-made-up',
      });
      expect(unauthorized.status).toBe(401);
      await emulator.app.inject({
        method: 'POST',
        url: '/_emulator/faults',
        payload: { rate: 1, kinds: ['429'] },
      });
      try {
        expect((await call(operationId, method, url, payload)).status).toBe(429);
      } finally {
        await emulator.app.inject({ method: 'DELETE', url: '/_emulator/faults' });
      }
    },
  );
});

describe('contract validator itself', () => {
  it('catches a removed field and the old playlist shape', () => {
    const track = { id: 'x', name: 'n', type: 'track', popularity: 50 };
    expect(contract.validateResponse('get-track', 200, track).valid).toBe(false);
    const { popularity: _p, ...withoutPopularity } = track;
    expect(contract.validateResponse('get-track', 200, withoutPopularity).valid).toBe(true);
    const page = {
      href: 'h',
      items: [{ track: { id: 'x', type: 'track' } }],
      limit: 20,
      next: null,
      offset: 0,
      previous: null,
      total: 1,
    };
    expect(contract.validateResponse('get-playlists-items', 200, page).valid).toBe(false);
  });

  it('validates requests: the 2026 paths pass, an unknown query type fails', () => {
    expect(
      contract.validateRequest({
        method: 'POST',
        path: '/playlists/abc/items',
        body: { uris: ['spotify:track:x'], position: 0 },
      }),
    ).toMatchObject({ valid: true, operationId: 'add-items-to-playlist' });
    expect(
      contract.validateRequest({ method: 'GET', path: '/me/top/tracks', query: { limit: '500' } })
        .valid,
    ).toBe(false);
    expect(
      contract.validateRequest({ method: 'GET', path: '/users/abc/playlists' }).operationId,
    ).toBeNull();
  });
});
