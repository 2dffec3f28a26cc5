import type { Artist, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';

/**
 * Stores tracks, never losing what is already known: an imported play knows
 * no cover art and no artist ids, so a later, poorer copy of a track must not
 * blank the richer one.
 */
export async function saveTracks(db: TimeMachineDb, tracks: readonly Track[]): Promise<void> {
  if (tracks.length === 0) return;
  await db.transaction('rw', db.tracks, async () => {
    const known = await db.tracks.bulkGet(tracks.map((t) => t.id));
    const merged = new Map<string, Track>();
    tracks.forEach((t, i) => {
      const old = merged.get(t.id) ?? known[i];
      merged.set(t.id, old ? mergeTrack(old, t) : t);
    });
    await db.tracks.bulkPut([...merged.values()]);
  });
}

export function mergeTrack(old: Track, next: Track): Track {
  return {
    id: next.id,
    name: next.name || old.name,
    artists: next.artists.some((a) => a.id !== null) || old.artists.length === 0 ? next.artists : old.artists,
    album: {
      id: next.album.id ?? old.album.id,
      name: next.album.name || old.album.name,
      imageUrl: next.album.imageUrl ?? old.album.imageUrl,
    },
    durationMs: next.durationMs ?? old.durationMs,
    isrc: next.isrc ?? old.isrc,
  };
}

export async function getTracks(db: TimeMachineDb, ids: Iterable<string>): Promise<Map<string, Track>> {
  const unique = [...new Set(ids)];
  const rows = await db.tracks.bulkGet(unique);
  const out = new Map<string, Track>();
  for (const row of rows) if (row) out.set(row.id, row);
  return out;
}

export async function saveArtists(db: TimeMachineDb, artists: readonly Artist[]): Promise<void> {
  if (artists.length === 0) return;
  await db.artists.bulkPut([...new Map(artists.map((a) => [a.id, a])).values()]);
}

export async function getArtists(db: TimeMachineDb, ids: Iterable<string>): Promise<Map<string, Artist>> {
  const unique = [...new Set(ids)];
  const rows = await db.artists.bulkGet(unique);
  const out = new Map<string, Artist>();
  for (const row of rows) if (row) out.set(row.id, row);
  return out;
}
