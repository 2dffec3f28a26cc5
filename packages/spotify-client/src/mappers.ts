// From Spotify's (and ReccoBeats') JSON to the domain types of @mtm/core.
// Inputs are `unknown` and read defensively: Spotify removed fields in 2026
// (popularity, followers, genres may be missing) and may remove more.
import type { Artist, AudioFeatures, FeatureSource, Track } from '@mtm/core';

type Json = Record<string, unknown>;

function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** URL of the largest image (by area; Spotify lists widest first, so that breaks ties and unknown sizes). */
export function largestImage(images: unknown): string | null {
  let best: { url: string; area: number } | null = null;
  for (const raw of arr(images)) {
    const im = obj(raw);
    const url = str(im['url']);
    if (url === null) continue;
    const area = (num(im['width']) ?? 0) * (num(im['height']) ?? 0);
    if (best === null || area > best.area) best = { url, area };
  }
  return best?.url ?? null;
}

export function toTrack(raw: unknown): Track {
  const t = obj(raw);
  const album = obj(t['album']);
  return {
    id: str(t['id']) ?? '',
    name: str(t['name']) ?? '',
    artists: arr(t['artists']).map((a) => {
      const ao = obj(a);
      return { id: str(ao['id']), name: str(ao['name']) ?? '' };
    }),
    album: {
      id: str(album['id']),
      name: str(album['name']) ?? '',
      imageUrl: largestImage(album['images']),
    },
    durationMs: num(t['duration_ms']),
    isrc: str(obj(t['external_ids'])['isrc']),
  };
}

export function toArtist(raw: unknown): Artist {
  const a = obj(raw);
  return {
    id: str(a['id']) ?? '',
    name: str(a['name']) ?? '',
    genres: arr(a['genres']).filter((g): g is string => typeof g === 'string'),
    imageUrl: largestImage(a['images']),
  };
}

export interface Profile {
  accountId: string;
  id: string;
  displayName: string | null;
  imageUrl: string | null;
}

/** `account_id` (May 2026) is the immutable key; older answers only have `id`. */
export function toProfile(raw: unknown): Profile {
  const u = obj(raw);
  const id = str(u['id']) ?? '';
  return {
    accountId: str(u['account_id']) ?? id,
    id,
    displayName: str(u['display_name']),
    imageUrl: largestImage(u['images']),
  };
}

/**
 * Audio features, or null when an entry lacks one of the values every
 * computation needs (such a track is reported as missing instead).
 */
export function toAudioFeatures(
  raw: unknown,
  trackId: string,
  source: FeatureSource,
  fetchedAt: number,
): AudioFeatures | null {
  const f = obj(raw);
  const energy = num(f['energy']);
  const valence = num(f['valence']);
  const danceability = num(f['danceability']);
  const tempo = num(f['tempo']);
  const acousticness = num(f['acousticness']);
  const instrumentalness = num(f['instrumentalness']);
  if (
    energy === null ||
    valence === null ||
    danceability === null ||
    tempo === null ||
    acousticness === null ||
    instrumentalness === null
  ) {
    return null;
  }
  const out: AudioFeatures = {
    trackId,
    energy,
    valence,
    danceability,
    tempo,
    acousticness,
    instrumentalness,
    source,
    fetchedAt,
  };
  const speechiness = num(f['speechiness']);
  const liveness = num(f['liveness']);
  const loudness = num(f['loudness']);
  if (speechiness !== null) out.speechiness = speechiness;
  if (liveness !== null) out.liveness = liveness;
  if (loudness !== null) out.loudness = loudness;
  return out;
}

/**
 * ReccoBeats identifies its rows by its own uuid; the Spotify id is the last
 * path segment of `href`. The segment is taken as it is, not checked against
 * a pattern of ours: whether it is an id is decided by the caller, which
 * keeps only rows for the ids it asked for (audio-features.ts), and what an
 * id looks like is @mtm/core's one definition (isSpotifyId), not this file's.
 */
export function spotifyIdFromHref(href: unknown): string | null {
  const h = str(href);
  if (h === null) return null;
  const m = /\/track\/([^/?#]+)\/?(?:[?#].*)?$/.exec(h);
  return m?.[1] ?? null;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/**
 * Spotify answers playlist descriptions HTML-escaped ("a &#x2F; b", "&amp;"):
 * decoded here so a marker written in a description is found as written.
 */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

export { obj, arr, str, num };
