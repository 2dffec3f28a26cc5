// Links into Spotify. Tracks known only by name (privacy-export account data,
// a name key) have no page to open.
import { isSpotifyTrackId } from '@mtm/core';

/** The track's page on open.spotify.com, or null for a track with no Spotify id. */
export function trackUrl(trackId: string): string | null {
  return isSpotifyTrackId(trackId) ? `https://open.spotify.com/track/${trackId}` : null;
}
