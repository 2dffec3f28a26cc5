// Stand-in for https://api.spotify.com/v1: the operations the app uses, plus
// the endpoints Spotify removed in 2026, which answer 410 Gone with an error
// body (chosen over 404 so a client calling one learns why at once).
import { isSpotifyId } from '@mtm/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseUrl, grantOf } from './api-auth.js';
import { apiError } from './api-errors.js';
import type { CatalogueArtist, CatalogueTrack } from './catalogue.js';
import type { RangeName } from './listener.js';
import { type Query, RANGES, intParam, requestUrl } from './query.js';
import { playlistRoutes } from './playlists.js';
import {
  artistObject,
  audioFeaturesObject,
  page,
  privateUser,
  trackObject,
} from './spotify-objects.js';
import type { EmulatorState } from './state.js';

export async function webApiRoutes(app: FastifyInstance, opts: { state: EmulatorState }) {
  const { state } = opts;
  const c = state.listener.catalogue;

  app.get(
    '/v1/me',
    { config: { operation: 'get-current-users-profile', auth: true } },
    async (request) => {
      return privateUser(baseUrl(state, request), grantOf(request).user);
    },
  );

  const topRoute =
    (kind: 'tracks' | 'artists') => async (request: FastifyRequest, reply: FastifyReply) => {
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
        return {
          ...p,
          items: p.items.map((t) => trackObject(base, c, c.tracks[t] as CatalogueTrack)),
        };
      }
      const ranked = state.listener.topArtists(range, now);
      const p = page(url, ranked, offset, limit);
      return {
        ...p,
        items: p.items.map((a) => artistObject(base, c.artists[a] as CatalogueArtist)),
      };
    };
  app.get(
    '/v1/me/top/tracks',
    { config: { operation: 'get-users-top-tracks', auth: true, scopes: ['user-top-read'] } },
    topRoute('tracks'),
  );
  app.get(
    '/v1/me/top/artists',
    { config: { operation: 'get-users-top-artists', auth: true, scopes: ['user-top-read'] } },
    topRoute('artists'),
  );

  app.get(
    '/v1/me/player/recently-played',
    {
      config: {
        operation: 'get-recently-played',
        auth: true,
        scopes: ['user-read-recently-played'],
      },
    },
    async (request, reply) => {
      const q = request.query as Query;
      const limit = intParam(q.limit, 20, 1, 50);
      if (limit === null) return apiError(reply, 400, 'Invalid limit');
      if (q.after !== undefined && q.before !== undefined)
        return apiError(reply, 400, 'Only one of after or before may be specified');
      const after = q.after !== undefined ? intParam(q.after, 0, 0, Number.MAX_SAFE_INTEGER) : null;
      const before =
        q.before !== undefined ? intParam(q.before, 0, 0, Number.MAX_SAFE_INTEGER) : null;
      if ((q.after !== undefined && after === null) || (q.before !== undefined && before === null))
        return apiError(reply, 400, 'Invalid cursor');
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
              ? {
                  type: 'album',
                  href: `${base}/v1/albums/${album.id}`,
                  external_urls: { spotify: `https://open.spotify.com/album/${album.id}` },
                  uri: `spotify:album:${album.id}`,
                }
              : null,
          };
        }),
        limit,
        next,
        cursors:
          newest && oldest
            ? { after: String(newest.endedAt), before: String(oldest.endedAt) }
            : null,
      };
    },
  );

  app.get(
    '/v1/tracks/:id',
    { config: { operation: 'get-track', auth: true } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isSpotifyId(id)) return apiError(reply, 400, 'Invalid base62 id');
      const track = c.trackById.get(id);
      if (!track) return apiError(reply, 404, 'Resource not found');
      return trackObject(baseUrl(state, request), c, track);
    },
  );

  app.get(
    '/v1/artists/:id',
    { config: { operation: 'get-an-artist', auth: true } },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      if (!isSpotifyId(id)) return apiError(reply, 400, 'Invalid base62 id');
      const artist = c.artistById.get(id);
      if (!artist) return apiError(reply, 404, 'Resource not found');
      return artistObject(baseUrl(state, request), artist);
    },
  );

  await app.register(playlistRoutes, { state });

  // Audio features ------------------------------------------------------------

  app.get(
    '/v1/audio-features',
    { config: { operation: 'get-several-audio-features', auth: true } },
    async (request, reply) => {
      if (state.featuresMode === 'development') return apiError(reply, 403, 'Forbidden');
      const q = request.query as Query;
      const ids = (q.ids ?? '').split(',').filter((s) => s.length > 0);
      if (ids.length === 0) return apiError(reply, 400, 'invalid request');
      if (ids.length > 100) return apiError(reply, 400, 'Too many ids requested');
      const base = baseUrl(state, request);
      return {
        audio_features: ids.map((id) => {
          const t = c.trackById.get(id);
          return t ? audioFeaturesObject(base, t) : null;
        }),
      };
    },
  );

  app.get(
    '/v1/audio-features/:id',
    { config: { operation: 'get-audio-features', auth: true } },
    async (request, reply) => {
      if (state.featuresMode === 'development') return apiError(reply, 403, 'Forbidden');
      const { id } = request.params as { id: string };
      if (!isSpotifyId(id)) return apiError(reply, 400, 'Invalid base62 id');
      const t = c.trackById.get(id);
      if (!t) return apiError(reply, 404, 'Resource not found');
      return audioFeaturesObject(baseUrl(state, request), t);
    },
  );

  // Removed in 2026 -----------------------------------------------------------

  const gone = (what: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    apiError(reply, 410, `${what} has been removed from the Web API`);
  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/v1/users/:id/playlists',
      config: { operation: 'removed-users-playlists' },
      handler: gone('/users/{id}/playlists'),
    });
  }
  for (const method of ['GET', 'POST', 'PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/v1/playlists/:id/tracks',
      config: { operation: 'removed-playlist-tracks' },
      handler: gone('/playlists/{id}/tracks (use /playlists/{id}/items)'),
    });
  }
  app.get(
    '/v1/tracks',
    { config: { operation: 'removed-several-tracks' } },
    gone('Batch GET /tracks?ids='),
  );
  app.get(
    '/v1/artists',
    { config: { operation: 'removed-several-artists' } },
    gone('Batch GET /artists?ids='),
  );
  app.get(
    '/v1/albums',
    { config: { operation: 'removed-several-albums' } },
    gone('Batch GET /albums?ids='),
  );
}
