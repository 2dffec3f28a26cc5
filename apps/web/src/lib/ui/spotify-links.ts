// Spotify ids are 22 base-62 characters; tracks known only by name (privacy
// export account data) have no page to open.
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

export function trackUrl(trackId: string): string | null {
  return SPOTIFY_ID.test(trackId) ? `https://open.spotify.com/track/${trackId}` : null;
}

/** A real Spotify track id, not a `name:` key of an account-data row. */
export function isSpotifyTrackId(trackId: string): boolean {
  return SPOTIFY_ID.test(trackId);
}
