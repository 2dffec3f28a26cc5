// The client object: one method per operation the app uses, all on top of the
// transport's shared rules (token, retries, cap on requests in flight, counts).
import type { Artist, AudioFeatures, TimeRange, Track } from '@mtm/core';
import { createFeatureSources } from './audio-features.js';
import { SpotifyError } from './errors.js';
import {
  arr,
  decodeHtmlEntities,
  num,
  obj,
  str,
  toArtist,
  toProfile,
  toTrack,
  type Profile,
} from './mappers.js';
import { pushTracks } from './playlist-push.js';
import { Semaphore } from './semaphore.js';
import {
  send,
  type ClientStats,
  type RequestSpec,
  type TokenProvider,
  type TransportConfig,
} from './transport.js';

export interface SpotifyClientOptions {
  /** e.g. 'https://api.spotify.com/v1' */
  apiBaseUrl: string;
  /** ReccoBeats-compatible, e.g. 'https://api.reccobeats.com/v1'; null or absent disables it. */
  featuresBaseUrl?: string | null;
  /**
   * Ask Spotify's own GET /audio-features first. Default true. Only apps with
   * extended quota get data there; every development-mode app gets 403, which
   * the client survives, but which a browser logs as a failed request: pass
   * false when the app is known to be in development mode.
   */
  spotifyAudioFeatures?: boolean;
  tokenProvider: TokenProvider;
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 5xx/network retries for requests safe to repeat. Default 3. */
  maxRetries?: number;
  /** Longest Retry-After the client waits itself. Default 30 000; longer => RATE_LIMITED with retryAt. */
  maxRetryAfterMs?: number;
  /** Requests in flight at once. Default 4. */
  maxConcurrent?: number;
  /** 429 answers waited out per request before giving up with RATE_LIMITED. Default 5. */
  maxRateLimitWaits?: number;
  /** Backoff: the n-th retry waits uniformly in [0, min(cap, base * 2^n)). Defaults 500 and 10 000. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** A request without an answer after this long counts as a network failure. Default 30 000; null: none. */
  requestTimeoutMs?: number | null;
}

type Sig = { signal?: AbortSignal };
type Page = { limit?: number; offset?: number; signal?: AbortSignal };

export interface SpotifyClient {
  me(o?: Sig): Promise<Profile>;
  topTracks(range: TimeRange, o?: Page): Promise<{ items: Track[]; total: number }>;
  /** Up to `max` (default 50, at most 99) top tracks, in rank order. */
  topTracksUpTo(range: TimeRange, max?: number, o?: Sig): Promise<Track[]>;
  topArtists(range: TimeRange, o?: Page): Promise<{ items: Artist[]; total: number }>;
  recentlyPlayed(o?: {
    after?: number;
    before?: number;
    limit?: number;
    signal?: AbortSignal;
  }): Promise<{
    items: { playedAt: number; track: Track }[];
    nextAfter: number | null;
  }>;
  track(id: string, o?: Sig): Promise<Track>;
  artist(id: string, o?: Sig): Promise<Artist>;
  createPlaylist(
    p: { name: string; description: string; public?: boolean },
    o?: Sig,
  ): Promise<{ id: string; url: string; uri: string }>;
  findMyPlaylist(
    match: (p: { id: string; name: string; description: string }) => boolean,
    o?: Sig,
  ): Promise<{ id: string; url: string } | null>;
  /** The playlist's item URIs in order, from `offset` (default 0) to the end. */
  playlistItemUris(
    playlistId: string,
    o?: { offset?: number; signal?: AbortSignal },
  ): Promise<string[]>;
  /** At most 100 URIs. Never repeated after an ambiguous failure: use pushTracks for long lists. */
  addItems(
    playlistId: string,
    uris: string[],
    o?: { position?: number; signal?: AbortSignal },
  ): Promise<{ snapshotId: string }>;
  pushTracks(
    playlistId: string,
    uris: string[],
    o?: { signal?: AbortSignal; onProgress?: (added: number) => void; freshlyCreated?: boolean },
  ): Promise<void>;
  audioFeatures(
    ids: string[],
    o?: Sig,
  ): Promise<{ features: Map<string, AudioFeatures>; missing: string[] }>;
  readonly stats: ClientStats;
}

const PAGE = 50; // the Web API's maximum `limit` for every paged read used here
const TOP_MAX = 99; // offset + limit beyond this returns nothing from /me/top
const MAX_PLAYLIST_PAGES = 400; // 20 000 playlists, more than Spotify lets a user own

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createSpotifyClient(opts: SpotifyClientOptions): SpotifyClient {
  const api = opts.apiBaseUrl.replace(/\/+$/, '');
  const featuresBase = opts.featuresBaseUrl ? opts.featuresBaseUrl.replace(/\/+$/, '') : null;
  const stats: ClientStats = {
    requests: 0,
    byOperation: {},
    retries: 0,
    waitedMs: 0,
    peakInFlight: 0,
  };
  const cfg: TransportConfig = {
    // bound late so a test or a service worker can replace globalThis.fetch
    fetch: opts.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: opts.now ?? Date.now,
    random: opts.random ?? Math.random,
    sleep: opts.sleep ?? defaultSleep,
    tokenProvider: opts.tokenProvider,
    maxRetries: opts.maxRetries ?? 3,
    maxRetryAfterMs: opts.maxRetryAfterMs ?? 30_000,
    maxRateLimitWaits: opts.maxRateLimitWaits ?? 5,
    backoffBaseMs: opts.backoffBaseMs ?? 500,
    backoffCapMs: opts.backoffCapMs ?? 10_000,
    requestTimeoutMs: opts.requestTimeoutMs === undefined ? 30_000 : opts.requestTimeoutMs,
    semaphore: new Semaphore(opts.maxConcurrent ?? 4),
    stats,
  };
  const features = createFeatureSources(cfg, {
    apiBaseUrl: api,
    spotify: opts.spotifyAudioFeatures ?? true,
    featuresBaseUrl: featuresBase,
  });

  const get = async (
    operation: string,
    path: string,
    query: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ) => {
    const spec: RequestSpec = {
      operation,
      method: 'GET',
      url: api + path + qs(query),
      auth: true,
      repeatable: true,
      signal,
    };
    return (await send(cfg, spec)).body;
  };
  const post = async (operation: string, path: string, body: unknown, signal?: AbortSignal) => {
    const spec: RequestSpec = {
      operation,
      method: 'POST',
      url: api + path,
      body,
      auth: true,
      repeatable: false,
      signal,
    };
    return (await send(cfg, spec)).body;
  };

  const topTracks: SpotifyClient['topTracks'] = async (range, o = {}) => {
    const body = obj(
      await get(
        'get-users-top-tracks',
        '/me/top/tracks',
        { time_range: range, limit: o.limit ?? PAGE, offset: o.offset ?? 0 },
        o.signal,
      ),
    );
    return { items: arr(body['items']).map(toTrack), total: num(body['total']) ?? 0 };
  };

  const playlistItemUris: SpotifyClient['playlistItemUris'] = async (playlistId, o = {}) => {
    const uris: string[] = [];
    for (let offset = o.offset ?? 0; ; offset += PAGE) {
      const body = obj(
        await get(
          'get-playlists-items',
          `/playlists/${encodeURIComponent(playlistId)}/items`,
          { limit: PAGE, offset },
          o.signal,
        ),
      );
      const items = arr(body['items']);
      for (const it of items) {
        const entry = obj(it);
        // `item` since March 2026; `track` is the deprecated name of the same field
        const item = obj(entry['item'] ?? entry['track']);
        uris.push(str(item['uri']) ?? '');
      }
      const total = num(body['total']);
      if (
        items.length < PAGE ||
        body['next'] === null ||
        (total !== null && offset + items.length >= total)
      )
        return uris;
    }
  };

  const addItems: SpotifyClient['addItems'] = async (playlistId, uris, o = {}) => {
    if (uris.length === 0 || uris.length > 100) {
      throw new SpotifyError('BAD_REQUEST', `addItems takes 1 to 100 URIs, got ${uris.length}`);
    }
    const body: { uris: string[]; position?: number } = { uris };
    if (o.position !== undefined) body.position = o.position;
    const res = obj(
      await post(
        'add-items-to-playlist',
        `/playlists/${encodeURIComponent(playlistId)}/items`,
        body,
        o.signal,
      ),
    );
    return { snapshotId: str(res['snapshot_id']) ?? '' };
  };

  const client: SpotifyClient = {
    stats,

    async me(o = {}) {
      return toProfile(await get('get-current-users-profile', '/me', {}, o.signal));
    },

    topTracks,

    async topTracksUpTo(range, max = 50, o = {}) {
      const want = Math.max(1, Math.min(TOP_MAX, Math.floor(max)));
      const first = await topTracks(range, { limit: Math.min(PAGE, want), offset: 0, ...sig(o) });
      const out = first.items.slice(0, want);
      if (want <= PAGE || first.items.length < PAGE || first.total <= PAGE) return out;
      // The top list stops at offset + limit = 99, so the second page starts at 49
      // and overlaps the first by one track; the overlap is dropped by id.
      const offset = TOP_MAX - PAGE;
      const second = await topTracks(range, {
        limit: Math.min(PAGE, want - offset),
        offset,
        ...sig(o),
      });
      const seen = new Set(out.map((t) => t.id));
      for (const t of second.items) {
        if (out.length >= want) break;
        if (!seen.has(t.id)) {
          seen.add(t.id);
          out.push(t);
        }
      }
      return out;
    },

    async topArtists(range, o = {}) {
      const body = obj(
        await get(
          'get-users-top-artists',
          '/me/top/artists',
          { time_range: range, limit: o.limit ?? PAGE, offset: o.offset ?? 0 },
          o.signal,
        ),
      );
      return { items: arr(body['items']).map(toArtist), total: num(body['total']) ?? 0 };
    },

    async recentlyPlayed(o = {}) {
      if (o.after !== undefined && o.before !== undefined) {
        throw new SpotifyError('BAD_REQUEST', 'recentlyPlayed takes `after` or `before`, not both');
      }
      const body = obj(
        await get(
          'get-recently-played',
          '/me/player/recently-played',
          { limit: o.limit ?? PAGE, after: o.after, before: o.before },
          o.signal,
        ),
      );
      const items = arr(body['items']).flatMap((raw) => {
        const it = obj(raw);
        const playedAt = Date.parse(str(it['played_at']) ?? '');
        return Number.isNaN(playedAt) ? [] : [{ playedAt, track: toTrack(it['track']) }];
      });
      const cursor = Number(str(obj(body['cursors'])['after']) ?? NaN);
      const newest = items.reduce<number | null>(
        (m, it) => (m === null || it.playedAt > m ? it.playedAt : m),
        null,
      );
      return { items, nextAfter: Number.isFinite(cursor) ? cursor : newest };
    },

    async track(id, o = {}) {
      return toTrack(await get('get-track', `/tracks/${encodeURIComponent(id)}`, {}, o.signal));
    },

    async artist(id, o = {}) {
      return toArtist(
        await get('get-an-artist', `/artists/${encodeURIComponent(id)}`, {}, o.signal),
      );
    },

    async createPlaylist(p, o = {}) {
      const body = obj(
        await post(
          'create-playlist',
          '/me/playlists',
          { name: p.name, description: p.description, public: p.public ?? false },
          o.signal,
        ),
      );
      const id = str(body['id']) ?? '';
      return { id, url: playlistUrl(body, id), uri: str(body['uri']) ?? `spotify:playlist:${id}` };
    },

    async findMyPlaylist(match, o = {}) {
      for (let page = 0; page < MAX_PLAYLIST_PAGES; page++) {
        const body = obj(
          await get(
            'get-a-list-of-current-users-playlists',
            '/me/playlists',
            { limit: PAGE, offset: page * PAGE },
            o.signal,
          ),
        );
        const items = arr(body['items']);
        for (const raw of items) {
          const p = obj(raw);
          const id = str(p['id']);
          if (id === null) continue;
          const description = decodeHtmlEntities(str(p['description']) ?? '');
          if (match({ id, name: str(p['name']) ?? '', description }))
            return { id, url: playlistUrl(p, id) };
        }
        if (items.length < PAGE || body['next'] === null) return null;
      }
      return null;
    },

    playlistItemUris,
    addItems,

    async pushTracks(playlistId, uris, o = {}) {
      await pushTracks(
        cfg,
        { playlistItemUris, addItems: (id, batch, bo) => addItems(id, batch, bo) },
        playlistId,
        uris,
        o,
      );
    },

    async audioFeatures(ids, o = {}) {
      return features.fetch(ids, o.signal);
    },
  };
  return client;
}

function sig(o: Sig): Sig {
  return o.signal ? { signal: o.signal } : {};
}

function playlistUrl(p: Record<string, unknown>, id: string): string {
  return (
    str(obj(p['external_urls'])['spotify']) ??
    `https://open.spotify.com/playlist/${encodeURIComponent(id)}`
  );
}

function qs(query: Record<string, string | number | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) p.set(k, String(v));
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}
