// The domain, as stored on the device and as every computation sees it.
// Time is always a number of milliseconds since the Unix epoch (UTC); a time
// zone only matters when a moment is placed in a calendar (see diary.ts).

/** Spotify's rolling windows: short ~4 weeks, medium ~6 months, long ~1 year. */
export type TimeRange = 'short_term' | 'medium_term' | 'long_term';
export const TIME_RANGES: readonly TimeRange[] = ['short_term', 'medium_term', 'long_term'];

export interface ArtistRef {
  /** Spotify artist id; null when only the name is known (privacy export). */
  id: string | null;
  name: string;
}

export interface AlbumRef {
  id: string | null;
  name: string;
  /** Largest cover image URL, or null when unknown (for example imported plays). */
  imageUrl: string | null;
}

export interface Track {
  /**
   * A Spotify track id, or a name key (see `nameKey` in history-import.ts) for
   * songs known only by artist and title (account-data export rows).
   */
  id: string;
  name: string;
  artists: ArtistRef[];
  album: AlbumRef;
  durationMs: number | null;
  /** ISRC from `external_ids`, when Spotify gave one. */
  isrc: string | null;
}

export interface Artist {
  id: string;
  name: string;
  /** Deprecated by Spotify in 2026 and often missing: never rely on it. */
  genres: string[];
  imageUrl: string | null;
}

/** One capture of the user's top tracks for one range at one moment. */
export interface Snapshot {
  id: string;
  accountId: string;
  takenAt: number;
  range: TimeRange;
  /** Ranked: rank = index + 1. */
  trackIds: string[];
}

export type PlaySource = 'recent' | 'export';

/** One play, labelled by the moment it ended. */
export interface Play {
  accountId: string;
  /** When the play ended, ms since epoch (export `ts`; recently-played `played_at`). */
  playedAt: number;
  /** Spotify track id, or a name key for plays known only by artist and title. */
  trackId: string;
  msPlayed: number;
  source: PlaySource;
}

/** Spotify counts a stream at 30 s played; shorter plays are kept but not counted. */
export const STREAM_THRESHOLD_MS = 30_000;

export type FeatureSource = 'spotify' | 'reccobeats';

export interface AudioFeatures {
  trackId: string;
  /** 0..1 */
  energy: number;
  /** 0..1 */
  valence: number;
  /** 0..1 */
  danceability: number;
  /** Beats per minute. */
  tempo: number;
  /** 0..1 */
  acousticness: number;
  /** 0..1 */
  instrumentalness: number;
  /** 0..1, when known. */
  speechiness?: number;
  /** 0..1, when known. */
  liveness?: number;
  /** dB, when known. */
  loudness?: number;
  source: FeatureSource;
  fetchedAt: number;
}
