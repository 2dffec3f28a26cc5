// Audio features from the sources still answering, in order: Spotify's own
// endpoint (only apps with extended quota get data; development-mode apps get
// 403, sometimes 404, since November 2024), then a ReccoBeats-compatible
// source. A source that refused once is not asked again by this client
// instance: each refusal would otherwise cost one request per batch, forever.
// Spotify's endpoint can also be left out from the start (`spotify: false`):
// an app that knows it is in development mode then never sends the request
// whose 403 a browser logs as an error on every start of the app.
import type { AudioFeatures, FeatureSource } from '@mtm/core';
import { SpotifyError } from './errors.js';
import { arr, obj, spotifyIdFromHref, toAudioFeatures } from './mappers.js';
import { send, type RawResult, type RequestSpec, type TransportConfig } from './transport.js';

interface Source {
  name: FeatureSource;
  batchSize: number;
  request(ids: string[], signal?: AbortSignal): RequestSpec;
  read(body: unknown, fetchedAt: number): AudioFeatures[];
}

export interface FeatureSources {
  fetch(
    ids: string[],
    signal?: AbortSignal,
  ): Promise<{ features: Map<string, AudioFeatures>; missing: string[] }>;
  /** Sources this instance has found unavailable. */
  readonly unavailable: ReadonlySet<FeatureSource>;
}

const UNAVAILABLE_STATUSES = [403, 404] as const;
// ReccoBeats takes no credentials: a 401 from it means "not for us" as much as a 403 does.
const THIRD_PARTY_UNAVAILABLE = [401, 403, 404] as const;

export interface FeatureSourceOptions {
  apiBaseUrl: string;
  /** false: Spotify's /audio-features is never asked (development-mode apps get 403) */
  spotify: boolean;
  /** ReccoBeats-compatible base URL; null: not asked */
  featuresBaseUrl: string | null;
}

export function createFeatureSources(
  cfg: TransportConfig,
  { apiBaseUrl, spotify, featuresBaseUrl }: FeatureSourceOptions,
): FeatureSources {
  const unavailable = new Set<FeatureSource>();
  const sources: Source[] = [];
  if (spotify) {
    sources.push({
      name: 'spotify',
      batchSize: 100, // the documented maximum of ids for GET /audio-features
      request: (ids, signal) => ({
        operation: 'get-several-audio-features',
        method: 'GET',
        url: `${apiBaseUrl}/audio-features?ids=${ids.map(encodeURIComponent).join(',')}`,
        auth: true,
        repeatable: true,
        passStatuses: UNAVAILABLE_STATUSES,
        signal,
      }),
      read: (body, fetchedAt) =>
        arr(obj(body)['audio_features']).flatMap((raw) => {
          const id = obj(raw)['id'];
          const f = typeof id === 'string' ? toAudioFeatures(raw, id, 'spotify', fetchedAt) : null;
          return f ? [f] : [];
        }),
    });
  }
  if (featuresBaseUrl !== null) {
    sources.push({
      name: 'reccobeats',
      batchSize: 40, // ReccoBeats answers about 40 ids per call
      request: (ids, signal) => ({
        operation: 'reccobeats-audio-features',
        method: 'GET',
        url: `${featuresBaseUrl}/audio-features?ids=${ids.map(encodeURIComponent).join(',')}`,
        // A third party: it must never see the Spotify access token.
        auth: false,
        repeatable: true,
        passStatuses: THIRD_PARTY_UNAVAILABLE,
        signal,
      }),
      read: (body, fetchedAt) =>
        arr(obj(body)['content']).flatMap((raw) => {
          const id = spotifyIdFromHref(obj(raw)['href']);
          const f = id === null ? null : toAudioFeatures(raw, id, 'reccobeats', fetchedAt);
          return f ? [f] : [];
        }),
    });
  }

  return {
    unavailable,
    async fetch(ids, signal) {
      const wanted = [...new Set(ids)];
      const features = new Map<string, AudioFeatures>();
      if (wanted.length === 0) return { features, missing: [] };
      let answered = false;
      for (const source of sources) {
        if (unavailable.has(source.name)) continue;
        const remaining = wanted.filter((id) => !features.has(id));
        if (remaining.length === 0) break;
        for (let i = 0; i < remaining.length; i += source.batchSize) {
          const batch = remaining.slice(i, i + source.batchSize);
          const wantedHere = new Set(batch);
          const res: RawResult = await send(cfg, source.request(batch, signal));
          if (res.status === 401 || res.status === 403 || res.status === 404) {
            unavailable.add(source.name);
            break;
          }
          answered = true;
          for (const f of source.read(res.body, cfg.now())) {
            // a source may answer ids it was not asked for: keep only what was asked
            if (wantedHere.has(f.trackId)) features.set(f.trackId, f);
          }
        }
      }
      if (!answered) {
        throw new SpotifyError('FEATURES_UNAVAILABLE', 'No audio-feature source is available', {
          status: null,
        });
      }
      return { features, missing: wanted.filter((id) => !features.has(id)) };
    },
  };
}
