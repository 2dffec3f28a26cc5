// Playlists the way they work since March 2026: created with POST
// /me/playlists, filled with POST /playlists/{id}/items (100 URIs at most per
// request), items under `items[].item`.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseUrl, grantOf } from './api-auth.js';
import { apiError } from './api-errors.js';
import { type Query, intParam, playlistItemUri, requestUrl } from './query.js';
import { base62Id, rngFor } from './random.js';
import { page, playlistBase, snapshotId, trackObject } from './spotify-objects.js';
import { type EmulatorState, type StoredPlaylist, userByKey } from './state.js';
import type { EmulatorUser } from './users.js';

export async function playlistRoutes(app: FastifyInstance, opts: { state: EmulatorState }) {
  const { state } = opts;
  const c = state.listener.catalogue;
  const idRandom = rngFor(state.seed, 'playlist-ids');

  const itemObject = (
    base: string,
    p: StoredPlaylist,
    owner: EmulatorUser,
    uri: string,
    addedAt: number,
  ) => {
    const item = playlistItemUri(uri);
    const track = item?.type === 'track' ? c.trackById.get(item.id) : undefined;
    return {
      added_at: new Date(addedAt).toISOString(),
      added_by: {
        external_urls: { spotify: `https://open.spotify.com/user/${owner.id}` },
        href: `${base}/v1/users/${owner.id}`,
        id: owner.id,
        type: 'user',
        uri: `spotify:user:${owner.id}`,
      },
      is_local: false,
      item: track ? trackObject(base, c, track) : null,
    };
  };

  const fullPlaylist = (base: string, p: StoredPlaylist, owner: EmulatorUser) => {
    const url = new URL(`${base}/v1/playlists/${p.id}/items`);
    const items = p.items.map((it) => itemObject(base, p, owner, it.uri, it.addedAt));
    return { ...playlistBase(base, p, owner), items: page(url, items, 0, 100) };
  };

  const ownPlaylist = (
    request: FastifyRequest,
    reply: FastifyReply,
  ): { p: StoredPlaylist; owner: EmulatorUser } | null => {
    const { id } = request.params as { id: string };
    const p = state.playlists.find((x) => x.id === id);
    if (!p) {
      void apiError(reply, 404, 'Resource not found');
      return null;
    }
    const owner = userByKey(state, p.ownerKey) as EmulatorUser;
    return { p, owner };
  };

  app.post(
    '/v1/me/playlists',
    {
      config: {
        operation: 'create-playlist',
        auth: true,
        scopes: ['playlist-modify-public', 'playlist-modify-private'],
      },
    },
    async (request, reply) => {
      const { grant, user } = grantOf(request);
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (typeof body !== 'object' || typeof body.name !== 'string' || body.name.length === 0)
        return apiError(reply, 400, 'Missing required field: name');
      const isPublic = body.public === undefined ? true : body.public === true;
      if (body.collaborative === true && isPublic)
        return apiError(reply, 400, 'Collaborative playlists must be private (public: false)');
      // Public playlists need playlist-modify-public, private ones playlist-modify-private.
      const needed = isPublic ? 'playlist-modify-public' : 'playlist-modify-private';
      if (!grant.scopes.includes(needed)) return apiError(reply, 403, 'Insufficient client scope');
      const p: StoredPlaylist = {
        id: base62Id(idRandom),
        ownerKey: user.key,
        name: body.name,
        description: typeof body.description === 'string' ? body.description : '',
        public: isPublic,
        collaborative: body.collaborative === true,
        items: [],
        snapshotVersion: 1,
        createdAt: state.clock.now(),
      };
      state.playlists.push(p);
      return reply.code(201).send(fullPlaylist(baseUrl(state, request), p, user));
    },
  );

  // Without playlist-read-private Spotify still lists the user's own
  // playlists to the app that created them; the app relies on that to find a
  // playlist it made before, so no scope is required here.
  app.get(
    '/v1/me/playlists',
    { config: { operation: 'get-a-list-of-current-users-playlists', auth: true } },
    async (request, reply) => {
      const q = request.query as Query;
      const limit = intParam(q.limit, 20, 1, 50);
      if (limit === null) return apiError(reply, 400, 'Invalid limit');
      const offset = intParam(q.offset, 0, 0, 100_000);
      if (offset === null) return apiError(reply, 400, 'Invalid offset');
      const { user } = grantOf(request);
      const base = baseUrl(state, request);
      const mine = state.playlists.filter((p) => p.ownerKey === user.key).reverse();
      const p = page(requestUrl(base, request), mine, offset, limit);
      return {
        ...p,
        items: p.items.map((pl) => ({
          ...playlistBase(base, pl, user),
          items: { href: `${base}/v1/playlists/${pl.id}/items`, total: pl.items.length },
        })),
      };
    },
  );

  app.get(
    '/v1/playlists/:id',
    { config: { operation: 'get-playlist', auth: true } },
    async (request, reply) => {
      const found = ownPlaylist(request, reply);
      if (!found) return reply;
      return fullPlaylist(baseUrl(state, request), found.p, found.owner);
    },
  );

  app.get(
    '/v1/playlists/:id/items',
    { config: { operation: 'get-playlists-items', auth: true } },
    async (request, reply) => {
      const found = ownPlaylist(request, reply);
      if (!found) return reply;
      const q = request.query as Query;
      const limit = intParam(q.limit, 20, 1, 50);
      if (limit === null) return apiError(reply, 400, 'Invalid limit');
      const offset = intParam(q.offset, 0, 0, 1_000_000);
      if (offset === null) return apiError(reply, 400, 'Invalid offset');
      const base = baseUrl(state, request);
      const { p, owner } = found;
      const url = requestUrl(base, request);
      const slice = page(url, p.items, offset, limit);
      return {
        ...slice,
        items: slice.items.map((it) => itemObject(base, p, owner, it.uri, it.addedAt)),
      };
    },
  );

  app.post(
    '/v1/playlists/:id/items',
    {
      config: {
        operation: 'add-items-to-playlist',
        auth: true,
        scopes: ['playlist-modify-public', 'playlist-modify-private'],
      },
    },
    async (request, reply) => {
      const found = ownPlaylist(request, reply);
      if (!found) return reply;
      const { p } = found;
      const { user, grant } = grantOf(request);
      if (p.ownerKey !== user.key)
        return apiError(reply, 403, "You cannot add tracks to a playlist you don't own.");
      if (!grant.scopes.includes(p.public ? 'playlist-modify-public' : 'playlist-modify-private'))
        return apiError(reply, 403, 'Insufficient client scope');
      const q = request.query as Query;
      const body = (request.body ?? {}) as Record<string, unknown>;
      // As documented: URIs in the query string win over the body.
      const given: unknown =
        q.uris !== undefined ? q.uris.split(',').map((s) => s.trim()) : body.uris;
      if (!Array.isArray(given) || given.length === 0)
        return apiError(reply, 400, 'No uris provided');
      // Spotify's hard limit per request; larger pushes are the client's job to batch.
      if (given.length > 100)
        return apiError(reply, 400, 'You can add a maximum of 100 tracks per request.');
      const uris: string[] = [];
      for (const u of given as unknown[]) {
        const item = playlistItemUri(u);
        if (!item) return apiError(reply, 400, `Invalid track uri: ${String(u).slice(0, 80)}`);
        if (item.type === 'track' && !c.trackById.has(item.id))
          return apiError(reply, 400, 'Payload contains a non-existing ID');
        uris.push(`spotify:${item.type}:${item.id}`);
      }
      const rawPosition =
        q.position ?? (body.position === undefined ? undefined : String(body.position));
      const position =
        rawPosition === undefined ? p.items.length : intParam(rawPosition, 0, 0, p.items.length);
      if (position === null) return apiError(reply, 400, 'Index out of bounds');
      const now = state.clock.now();
      p.items.splice(position, 0, ...uris.map((uri) => ({ uri, addedAt: now })));
      p.snapshotVersion++;
      return reply.code(201).send({ snapshot_id: snapshotId(p) });
    },
  );
}
