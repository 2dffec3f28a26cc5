import type { Artist, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';

/**
 * How a source's copy of a track meets the stored one. `update`: Spotify's
 * own answer (sync) is the authority on names. `fill`: a file (a privacy
 * export) only fills what the device lacks; the tracks table is shared by
 * every diary on the device, so a file must never rename a track another
 * diary shows (issue 12).
 */
export type TrackSave = 'update' | 'fill';

/**
 * Stores tracks, never losing what is already known: an imported play knows
 * no cover art and no artist ids, so a later, poorer copy of a track must not
 * blank the richer one.
 */
export async function saveTracks(
  db: TimeMachineDb,
  tracks: readonly Track[],
  mode: TrackSave = 'update',
): Promise<void> {
  if (tracks.length === 0) return;
  await db.transaction('rw', db.tracks, async () => {
    const known = await db.tracks.bulkGet(tracks.map((t) => t.id));
    const merged = new Map<string, Track>();
    tracks.forEach((t, i) => {
      const old = merged.get(t.id) ?? known[i];
      merged.set(t.id, old ? (mode === 'fill' ? mergeTrack(t, old) : mergeTrack(old, t)) : t);
    });
    await db.tracks.bulkPut([...merged.values()]);
  });
}

export function mergeTrack(old: Track, next: Track): Track {
  return {
    id: next.id,
    name: next.name || old.name,
    artists:
      next.artists.some((a) => a.id !== null) || old.artists.length === 0
        ? next.artists
        : old.artists,
    album: {
      id: next.album.id ?? old.album.id,
      name: next.album.name || old.album.name,
      imageUrl: next.album.imageUrl ?? old.album.imageUrl,
    },
    durationMs: next.durationMs ?? old.durationMs,
    isrc: next.isrc ?? old.isrc,
  };
}

/** The rows that exist among `ids`, by id (each id asked for once). */
async function getById<T extends { id: string }>(
  table: { bulkGet(keys: string[]): Promise<(T | undefined)[]> },
  ids: Iterable<string>,
): Promise<Map<string, T>> {
  const rows = await table.bulkGet([...new Set(ids)]);
  const out = new Map<string, T>();
  for (const row of rows) if (row) out.set(row.id, row);
  return out;
}

export function getTracks(db: TimeMachineDb, ids: Iterable<string>): Promise<Map<string, Track>> {
  return getById<Track>(db.tracks, ids);
}

export async function saveArtists(db: TimeMachineDb, artists: readonly Artist[]): Promise<void> {
  if (artists.length === 0) return;
  await db.artists.bulkPut([...new Map(artists.map((a) => [a.id, a])).values()]);
}

export function getArtists(db: TimeMachineDb, ids: Iterable<string>): Promise<Map<string, Artist>> {
  return getById<Artist>(db.artists, ids);
}

/**
 * Fills what a track row lacks from a fresh `GET /tracks/{id}` answer (cover
 * art, album id, duration, ISRC) and keeps everything it already has. Names
 * and artists stay as stored: an imported row's artists have no ids, and
 * @mtm/core keys artists by id when there is one, so swapping in Spotify's
 * artists for some of an artist's tracks would split that artist in two on
 * the month page. Stored under the id asked for, not the answer's id (Spotify
 * may answer with a relinked track). Returns the row as stored, or null when
 * there is no row to fill.
 */
export async function fillTrackDetails(
  db: TimeMachineDb,
  id: string,
  fetched: Track,
): Promise<Track | null> {
  return db.transaction('rw', db.tracks, async () => {
    const old = await db.tracks.get(id);
    if (!old) return null;
    const next: Track = {
      ...old,
      artists: old.artists.length > 0 ? old.artists : fetched.artists,
      album: {
        id: old.album.id ?? fetched.album.id,
        name: old.album.name || fetched.album.name,
        imageUrl: old.album.imageUrl ?? fetched.album.imageUrl,
      },
      durationMs: old.durationMs ?? fetched.durationMs,
      isrc: old.isrc ?? fetched.isrc,
    };
    await db.tracks.put(next);
    return next;
  });
}
