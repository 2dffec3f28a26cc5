// Query-string parsing shared by the Web API routes.
import { isSpotifyId, isTrackUri } from '@mtm/core';
import type { FastifyRequest } from 'fastify';
import type { RangeName } from './listener.js';

export type Query = Record<string, string | undefined>;

export function intParam(
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number | null {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n < min || n > max ? null : n;
}

export const RANGES: readonly RangeName[] = ['short_term', 'medium_term', 'long_term'];

const TRACK_PREFIX = 'spotify:track:';
const EPISODE_PREFIX = 'spotify:episode:';

/**
 * A playlist item URI (a track or an episode, the only items a playlist
 * takes) split into its type and id, or null for anything else. What an id
 * is comes from @mtm/core, the app's one definition, so the emulator refuses
 * exactly what the app would never send.
 */
export function playlistItemUri(uri: unknown): { type: 'track' | 'episode'; id: string } | null {
  if (typeof uri !== 'string') return null;
  if (isTrackUri(uri)) return { type: 'track', id: uri.slice(TRACK_PREFIX.length) };
  const episode = uri.startsWith(EPISODE_PREFIX) ? uri.slice(EPISODE_PREFIX.length) : null;
  return episode !== null && isSpotifyId(episode) ? { type: 'episode', id: episode } : null;
}

export function requestUrl(base: string, request: FastifyRequest): URL {
  return new URL(request.url, base);
}
