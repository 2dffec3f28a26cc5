// What a Spotify id is, decided once for the whole repository (issue 11).
//
// Spotify's ids (tracks, albums, artists, playlists, episodes) are 22
// base-62 characters. Everything else the app may hold where an id could be
// is not one: a name key (`name:artist\u001ftitle`, see history-import-names.ts)
// for a song the export names but does not identify, a local file, a typo.
// Such a value must never reach the Web API, an open.spotify.com link or a
// playlist push, so every "is this an id?" in the repository asks here rather
// than carrying its own pattern (one of them let 10 to 40 characters through).
//
// The length is exact on purpose: a looser rule only lets through values the
// Web API refuses ("Invalid base62 id"), after a request has been spent.

const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;
const TRACK_URI_PREFIX = 'spotify:track:';

/** A Spotify id of any kind: exactly 22 base-62 characters. */
export function isSpotifyId(id: string): boolean {
  return typeof id === 'string' && SPOTIFY_ID.test(id);
}

/**
 * A Spotify track id, as opposed to a name key of a song known only by its
 * names (or anything else stored under `trackId`). Same rule as isSpotifyId:
 * the name says which question the caller asks.
 */
export function isSpotifyTrackId(id: string): boolean {
  return isSpotifyId(id);
}

/** `spotify:track:<id>`; throws on anything that is not a Spotify id (a name key, say). */
export function trackUri(id: string): string {
  if (!isSpotifyId(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id.slice(0, 40)) : String(id);
    throw new TypeError(`trackUri: ${shown} is not a Spotify track id (22 base-62 characters)`);
  }
  return `${TRACK_URI_PREFIX}${id}`;
}

/** Exactly what trackUri makes: `spotify:track:` and a Spotify id, nothing around it. */
export function isTrackUri(uri: string): boolean {
  return (
    typeof uri === 'string' &&
    uri.startsWith(TRACK_URI_PREFIX) &&
    isSpotifyId(uri.slice(TRACK_URI_PREFIX.length))
  );
}

/**
 * The Spotify id in `spotify:track:<id>`, or null for anything else (local
 * files, episodes, null). Surrounding whitespace is forgiven: export files
 * are outside data, and a stray space must not turn a song into "no track".
 */
export function trackIdFromUri(uri: string | null | undefined): string | null {
  if (typeof uri !== 'string') return null;
  const trimmed = uri.trim();
  return isTrackUri(trimmed) ? trimmed.slice(TRACK_URI_PREFIX.length) : null;
}
