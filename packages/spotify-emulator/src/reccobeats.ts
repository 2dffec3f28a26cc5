// Stand-in for https://api.reccobeats.com/v1: audio features by Spotify id,
// no key, up to 40 ids per call, unknown ids silently left out.
import type { FastifyInstance } from 'fastify';
import type { CatalogueTrack } from './catalogue.js';
import { hash32 } from './random.js';
import type { EmulatorState } from './state.js';

export const RECCOBEATS_MAX_IDS = 40;

/** A stable UUID-shaped id per track: ReccoBeats ids are its own, not Spotify's. */
export function reccobeatsId(seed: number, spotifyId: string): string {
  const hex = [0, 1, 2, 3]
    .map((i) =>
      hash32(seed + i, spotifyId)
        .toString(16)
        .padStart(8, '0'),
    )
    .join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function reccobeatsFeature(seed: number, t: CatalogueTrack) {
  const f = t.features;
  return {
    id: reccobeatsId(seed, t.id),
    href: `https://open.spotify.com/track/${t.id}`,
    isrc: t.isrc,
    acousticness: f.acousticness,
    danceability: f.danceability,
    energy: f.energy,
    instrumentalness: f.instrumentalness,
    key: f.key,
    liveness: f.liveness,
    loudness: f.loudness,
    mode: f.mode,
    speechiness: f.speechiness,
    tempo: f.tempo,
    valence: f.valence,
  };
}

export async function reccobeatsRoutes(app: FastifyInstance, opts: { state: EmulatorState }) {
  const { state } = opts;
  app.get(
    '/reccobeats/v1/audio-features',
    { config: { operation: 'reccobeats-audio-features' } },
    async (request, reply) => {
      const raw = (request.query as Record<string, string | undefined>).ids ?? '';
      const ids = raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
      if (ids.length === 0 || ids.length > RECCOBEATS_MAX_IDS) {
        return reply.code(400).send({
          timestamp: new Date(state.clock.now()).toISOString(),
          status: 400,
          error: 'Bad Request',
          message: `ids must contain between 1 and ${RECCOBEATS_MAX_IDS} values`,
        });
      }
      const content = [];
      for (const id of ids) {
        const t = state.listener.catalogue.trackById.get(id);
        if (t) content.push(reccobeatsFeature(state.seed, t));
      }
      return { content };
    },
  );
}
