// Small builders for tests.
import type { Play, Snapshot, TimeRange, Track } from '../types.js';

export function track(id: string, ...artists: string[]): Track {
  return {
    id,
    name: `Song ${id}`,
    artists: artists.map((a) => ({ id: a, name: `Artist ${a}` })),
    album: { id: null, name: '', imageUrl: null },
    durationMs: 200_000,
    isrc: null,
  };
}

export function play(
  trackId: string,
  playedAt: number,
  msPlayed = 180_000,
  accountId = 'acc',
): Play {
  return { accountId, playedAt, trackId, msPlayed, source: 'export' };
}

export function snapshot(
  range: TimeRange,
  takenAt: number,
  trackIds: string[],
  accountId = 'acc',
): Snapshot {
  return { id: `${accountId}:${range}:${takenAt}`, accountId, takenAt, range, trackIds };
}

export const trackMap = (...tracks: Track[]): Map<string, Track> =>
  new Map(tracks.map((t) => [t.id, t]));
