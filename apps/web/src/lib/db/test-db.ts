// A fresh in-memory database per test, on fake-indexeddb.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Track } from '@mtm/core';
import { TimeMachineDb } from './schema';

let n = 0;
export function freshDb(): TimeMachineDb {
  return new TimeMachineDb(`test-${++n}`, { indexedDB: new IDBFactory(), IDBKeyRange });
}

export function track(id: string, over: Partial<Track> = {}): Track {
  return {
    id,
    name: `Track ${id}`,
    artists: [{ id: `artist-${id}`, name: `Artist ${id}` }],
    album: { id: `album-${id}`, name: `Album ${id}`, imageUrl: `https://i.scdn.co/image/${id}` },
    durationMs: 200_000,
    isrc: null,
    ...over,
  };
}
