// Stand-in for https://api.spotify.com/v1: the operations the app uses, plus
// the endpoints Spotify removed in 2026, which answer 410 Gone with an error
// body (chosen over 404 so a client calling one learns why at once).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogueArtist, CatalogueTrack } from './catalogue.js';
import type { RangeName } from './listener.js';
import { base62Id, rngFor } from './random.js';
import {
  artistObject,
  audioFeaturesObject,
  page,
  playlistBase,
  privateUser,
  snapshotId,
  trackObject,
} from './spotify-objects.js';
import { type AccessTokenGrant, type EmulatorState, type StoredPlaylist, userByKey } from './state.js';
import type { EmulatorUser } from './users.js';

export interface RouteMeta {
  operation: string;
  /** Any one of these scopes is enough; absent = no scope needed. */
  scopes?: string[];
  auth?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    operation?: string;
    scopes?: string[];
    auth?: boolean;
  }
}

export function errorBody(status: number, message: string, reason?: string) {
  return { error: reason ? { status, message, reason } : { status, message } };
}

export function apiError(reply: FastifyReply, status: number, message: string, reason?: string) {
  return reply.code(status).send(errorBody(status, message, reason));
}

function unauthorized(reply: FastifyReply, message: string) {
  void reply.header('www-authenticate', `Bearer realm="spotify", error="invalid_token", error_description="${message}"`);
  return apiError(reply, 401, message);
}

/** Base URL for links in answers: the host the caller used. */
export function baseUrl(state: EmulatorState, request: FastifyRequest): string {
  const host = request.headers.host;
  if (host) return `${request.protocol}://${host}`;
  return state.listenUrl ?? 'http://127.0.0.1';
}

export const NOT_ALLOWLISTED_MESSAGE = 'Check settings on developer.spotify.com/dashboard, the user may not be registered.';

const grants = new WeakMap<FastifyRequest, { grant: AccessTokenGrant; user: EmulatorUser }>();

function grantOf(request: FastifyRequest) {
  const g = grants.get(request);
  if (!g) throw new Error('route without authentication');
  return g;
}

/** Bearer token, allow-list and scope checks, in the order Spotify applies them. */
export function authenticate(state: EmulatorState) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (!config.auth) return;
    const header = request.headers.authorization;
    if (!header) return apiError(reply, 401, 'No token provided');
    if (!header.startsWith('Bearer ')) return apiError(reply, 400, 'Only valid bearer authentication supported');
    const grant = state.accessTokens.get(header.slice(7));
    if (!grant) return unauthorized(reply, 'Invalid access token');
    if (grant.expiresAt <= state.clock.now()) return unauthorized(reply, 'The access token expired');
    const user = userByKey(state, grant.userKey);
    if (!user) return unauthorized(reply, 'Invalid access token');
    if (!user.allowListed) return apiError(reply, 403, NOT_ALLOWLISTED_MESSAGE);
    if (config.scopes && !config.scopes.some((s) => grant.scopes.includes(s))) return apiError(reply, 403, 'Insufficient client scope');
    grants.set(request, { grant, user });
    return;
  };
}

type Query = Record<string, string | undefined>;

function intParam(raw: string | undefined, fallback: number, min: number, max: number): number | null {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n < min || n > max ? null : n;
}

const RANGES: readonly RangeName[] = ['short_term', 'medium_term', 'long_term'];
const BASE62_ID = /^[0-9A-Za-z]{22}$/;
const URI = /^spotify:(track|episode):([0-9A-Za-z]{22})$/;

function requestUrl(base: string, request: FastifyRequest): URL {
  return new URL(request.url, base);
}

export async function webApiRoutes(app: FastifyInstance, opts: { state: EmulatorState }) {
  const { state } = opts;
  const c = state.listener.catalogue;
  const idRandom = rngFor(state.seed, 'playlist-ids');

  app.get('/v1/me', { config: { operation: 'get-current-users-profile', auth: true } }, async (request) => {
    return privateUser(baseUrl(state, request), grantOf(request).user);
  });

  const topRoute = (kind: 'tracks' | 'artists') => async (request: FastifyRequest, reply: FastifyReply) => {
    const q = request.query as Query;
    const range = (q.time_range ?? 'medium_term') as RangeName;
    if (!RANGES.includes(range)) return apiError(reply, 400, 'Invalid time range');
    const limit = intParam(q.limit, 20, 1, 50);
    if (limit === null) return apiError(reply, 400, 'Invalid limit');
    const offset = intParam(q.offset, 0, 0, 1_000_000);
    if (offset === null) return apiError(reply, 400, 'Invalid offset');
    const base = baseUrl(state, request);
    const url = requestUrl(base, request);
    const now = state.clock.now();
    if (kind === 'tracks') {
      const ranked = state.listener.topTracks(range, now);
      const p = page(url, ranked, offset, limit);
      return { ...p, items: p.items.map((t) => trackObject(base, c, c.tracks[t] as CatalogueTrack)) };
    }
    const ranked = state.listener.topArtists(range, now);
    const p = page(url, ranked, offset, limit);
    return { ...p, items: p.items.map((a) => artistObject(base, c.artists[a] as CatalogueArtist)) };
  };
  app.get('/v1/me/top/tracks', { config: { operation: 'get-users-top-tracks', auth: true, scopes: ['user-top-read'] } }, topRoute('tracks'));
  app.get('/v1/me/top/artists', { config: { operation: 'get-users-top-artists', auth: true, scopes: ['user-top-read'] } }, topRoute('artists'));

  app.get('/v1/me/player/recently-played', { config: { operation: 'get-recently-played', auth: true, scopes: ['user-read-recently-played'] } }, async (request, reply) => {
    const q = request.query as Query;
    const limit = intParam(q.limit, 20, 1, 50);
    if (limit === null) return apiError(reply, 400, 'Invalid limit');
    if (q.after !== undefined && q.before !== undefined) return apiError(reply, 400, 'Only one of after or before may be specified');
    const after = q.after !== undefined ? intParam(q.after, 0, 0, Number.MAX_SAFE_INTEGER) : null;
    const before = q.before !== undefined ? intParam(q.before, 0, 0, Number.MAX_SAFE_INTEGER) : null;
    if ((q.after !== undefined && after === null) || (q.before !== undefined && before === null)) return apiError(reply, 400, 'Invalid cursor');
    const base = baseUrl(state, request);
    // Spotify keeps only the last 50 plays available, whatever the cursor.
    const available = state.listener.recentPlays(state.clock.now(), 50);
    let chosen;
    if (after !== null) {
      const newer = available.filter((p) => p.endedAt > after);
      chosen = newer.slice(Math.max(0, newer.length - limit));
    } else {
      const older = before !== null ? available.filter((p) => p.endedAt < before) : available;
      chosen = older.slice(0, limit);
    }
    const newest = chosen[0];
    const oldest = chosen[chosen.length - 1];
    const href = requestUrl(base, request);
    let next: string | null = null;
    if (oldest && after === null && available.some((p) => p.endedAt < oldest.endedAt)) {
      const u = new URL(`${base}/v1/me/player/recently-played`);
      u.searchParams.set('before', String(oldest.endedAt));
      u.searchParams.set('limit', String(limit));
      next = u.toString();
    } else if (newest && after !== null && available.some((p) => p.endedAt > newest.endedAt)) {
      const u = new URL(`${base}/v1/me/player/recently-played`);
      u.searchParams.set('after', String(newest.endedAt));
      u.searchParams.set('limit', String(limit));
      next = u.toString();
    }
    return {
      href: href.toString(),
      items: chosen.map((p) => {
        const track = c.tracks[p.track] as CatalogueTrack;
        const album = c.albums[track.album];
        return {
          track: trackObject(base, c, track),
          played_at: new Date(p.endedAt).toISOString(),
          context: album
            ? { type: 'album', href: `${base}/v1/albums/${album.id}`, external_urls: { spotify: `https://open.spotify.com/album/${album.id}` }, uri: `spotify:album:${album.id}` }
            : null,
        };
      }),
      limit,
      next,
      cursors: newest && oldest ? { after: String(newest.endedAt), before: String(oldest.endedAt) } : null,
    };
  });

  app.get('/v1/tracks/:id', { config: { operation: 'get-track', auth: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!BASE62_ID.test(id)) return apiError(reply, 400, 'Invalid base62 id');
    const track = c.trackById.get(id);
    if (!track) return apiError(reply, 404, 'Resource not found');
    return trackObject(baseUrl(state, request), c, track);
  });

  app.get('/v1/artists/:id', { config: { operation: 'get-an-artist', auth: true } }, async (request, reply) => {
    const { id } = request.params as { id: string };
    if (!BASE62_ID.test(id)) return apiError(reply, 400, 'Invalid base62 id');
    const artist = c.artistById.get(id);
    if (!artist) return apiError(reply, 404, 'Resource not found');
    return artistObject(baseUrl(state, request), artist);
  });

  // Playlists -----------------------------------------------------------------

  const itemObject = (base: string, p: StoredPlaylist, owner: EmulatorUser, uri: string, addedAt: number) => {
    const match = URI.exec(uri);
    const track = match ? c.trackById.get(match[2] as string) : undefined;
    return {
      added_at: new Date(addedAt).toISOString(),
      added_by: { external_urls: { spotify: `https://open.spotify.com/user/${owner.id}` }, href: `${base}/v1/users/${owner.id}`, id: owner.id, type: 'user', uri: `spotify:user:${owner.id}` },
      is_local: false,
      item: track ? trackObject(base, c, track) : null,
    };
  };

  const fullPlaylist = (base: string, p: StoredPlaylist, owner: EmulatorUser) => {
    const url = new URL(`${base}/v1/playlists/${p.id}/items`);
    const items = p.items.map((it) => itemObject(base, p, owner, it.uri, it.addedAt));
    return { ...playlistBase(base, p, owner), items: page(url, items, 0, 100) };
  };

  const ownPlaylist = (request: FastifyRequest, reply: FastifyReply): { p: StoredPlaylist; owner: EmulatorUser } | null => {
    const { id } = request.params as { id: string };
    const p = state.playlists.find((x) => x.id === id);
    if (!p) {
      void apiError(reply, 404, 'Resource not found');
      return null;
    }
    const owner = userByKey(state, p.ownerKey) as EmulatorUser;
    return { p, owner };
  };

  app.post('/v1/me/playlists', { config: { operation: 'create-playlist', auth: true, scopes: ['playlist-modify-public', 'playlist-modify-private'] } }, async (request, reply) => {
    const { grant, user } = grantOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || typeof body.name !== 'string' || body.name.length === 0) return apiError(reply, 400, 'Missing required field: name');
    const isPublic = body.public === undefined ? true : body.public === true;
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
  });

  // Without playlist-read-private Spotify still lists the user's own
  // playlists to the app that created them; the app relies on that to find a
  // playlist it made before, so no scope is required here.
  app.get('/v1/me/playlists', { config: { operation: 'get-a-list-of-current-users-playlists', auth: true } }, async (request, reply) => {
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
      items: p.items.map((pl) => ({ ...playlistBase(base, pl, user), items: { href: `${base}/v1/playlists/${pl.id}/items`, total: pl.items.length } })),
    };
  });

  app.get('/v1/playlists/:id', { config: { operation: 'get-playlist', auth: true } }, async (request, reply) => {
    const found = ownPlaylist(request, reply);
    if (!found) return reply;
    return fullPlaylist(baseUrl(state, request), found.p, found.owner);
  });

  app.get('/v1/playlists/:id/items', { config: { operation: 'get-playlists-items', auth: true } }, async (request, reply) => {
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
    return { ...slice, items: slice.items.map((it) => itemObject(base, p, owner, it.uri, it.addedAt)) };
  });

  app.post('/v1/playlists/:id/items', { config: { operation: 'add-items-to-playlist', auth: true, scopes: ['playlist-modify-public', 'playlist-modify-private'] } }, async (request, reply) => {
    const found = ownPlaylist(request, reply);
    if (!found) return reply;
    const { p } = found;
    const { user, grant } = grantOf(request);
    if (p.ownerKey !== user.key) return apiError(reply, 403, "You cannot add tracks to a playlist you don't own.");
    if (!grant.scopes.includes(p.public ? 'playlist-modify-public' : 'playlist-modify-private')) return apiError(reply, 403, 'Insufficient client scope');
    const q = request.query as Query;
    const body = (request.body ?? {}) as Record<string, unknown>;
    // As documented: URIs in the query string win over the body.
    const given: unknown = q.uris !== undefined ? q.uris.split(',').map((s) => s.trim()) : body.uris;
    if (!Array.isArray(given) || given.length === 0) return apiError(reply, 400, 'No uris provided');
    // Spotify's hard limit per request; larger pushes are the client's job to batch.
    if (given.length > 100) return apiError(reply, 400, 'You can add a maximum of 100 tracks per request.');
    const uris: string[] = [];
    for (const u of given as unknown[]) {
      const m = typeof u === 'string' ? URI.exec(u) : null;
      if (!m) return apiError(reply, 400, `Invalid track uri: ${String(u).slice(0, 80)}`);
      if (m[1] === 'track' && !c.trackById.has(m[2] as string)) return apiError(reply, 400, 'Payload contains a non-existing ID');
      uris.push(m[0]);
    }
    const rawPosition = q.position ?? (body.position === undefined ? undefined : String(body.position));
    const position = rawPosition === undefined ? p.items.length : intParam(rawPosition, 0, 0, p.items.length);
    if (position === null) return apiError(reply, 400, 'Index out of bounds');
    const now = state.clock.now();
    p.items.splice(position, 0, ...uris.map((uri) => ({ uri, addedAt: now })));
    p.snapshotVersion++;
    return reply.code(201).send({ snapshot_id: snapshotId(p) });
  });

  // Audio features ------------------------------------------------------------

  app.get('/v1/audio-features', { config: { operation: 'get-several-audio-features', auth: true } }, async (request, reply) => {
    if (state.featuresMode === 'development') return apiError(reply, 403, 'Forbidden');
    const q = request.query as Query;
    const ids = (q.ids ?? '').split(',').filter((s) => s.length > 0);
    if (ids.length === 0) return apiError(reply, 400, 'invalid request');
    if (ids.length > 100) return apiError(reply, 400, 'Too many ids requested');
    const base = baseUrl(state, request);
    return { audio_features: ids.map((id) => { const t = c.trackById.get(id); return t ? audioFeaturesObject(base, t) : null; }) };
  });

  app.get('/v1/audio-features/:id', { config: { operation: 'get-audio-features', auth: true } }, async (request, reply) => {
    if (state.featuresMode === 'development') return apiError(reply, 403, 'Forbidden');
    const { id } = request.params as { id: string };
    if (!BASE62_ID.test(id)) return apiError(reply, 400, 'Invalid base62 id');
    const t = c.trackById.get(id);
    if (!t) return apiError(reply, 404, 'Resource not found');
    return audioFeaturesObject(baseUrl(state, request), t);
  });

  // Removed in 2026 -----------------------------------------------------------

  const gone = (what: string) => async (_request: FastifyRequest, reply: FastifyReply) => apiError(reply, 410, `${what} has been removed from the Web API`);
  for (const method of ['GET', 'POST'] as const) {
    app.route({ method, url: '/v1/users/:id/playlists', config: { operation: 'removed-users-playlists' }, handler: gone('/users/{id}/playlists') });
  }
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
    app.route({ method, url: '/v1/playlists/:id/tracks', config: { operation: 'removed-playlist-tracks' }, handler: gone('/playlists/{id}/tracks (use /playlists/{id}/items)') });
  }
  app.get('/v1/tracks', { config: { operation: 'removed-several-tracks' } }, gone('Batch GET /tracks?ids='));
  app.get('/v1/artists', { config: { operation: 'removed-several-artists' } }, gone('Batch GET /artists?ids='));
  app.get('/v1/albums', { config: { operation: 'removed-several-albums' } }, gone('Batch GET /albums?ids='));

}
