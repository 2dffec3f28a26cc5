import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, TimeMachineDb } from './schema';

// The version-1 layout exactly as shipped, frozen here on purpose: if
// schema.ts changes a shipped version, a real user's database no longer opens,
// and this fixture is what notices. Dexie stores version N as IndexedDB
// version N * 10.
const V1_LAYOUT: Record<string, { keyPath: string | string[]; indexes: [string, string | string[]][] }> = {
  accounts: { keyPath: 'accountId', indexes: [] },
  tracks: { keyPath: 'id', indexes: [] },
  artists: { keyPath: 'id', indexes: [] },
  snapshots: { keyPath: 'id', indexes: [['[accountId+takenAt]', ['accountId', 'takenAt']], ['[accountId+range+takenAt]', ['accountId', 'range', 'takenAt']]] },
  plays: { keyPath: ['accountId', 'playedAt', 'trackId'], indexes: [['[accountId+trackId]', ['accountId', 'trackId']]] },
  features: { keyPath: 'trackId', indexes: [] },
  outbox: { keyPath: 'id', indexes: [['accountId', 'accountId'], ['state', 'state'], ['createdAt', 'createdAt']] },
  imports: { keyPath: 'id', indexes: [['accountId', 'accountId']] },
  meta: { keyPath: 'key', indexes: [] },
};

const V1_ROWS: Record<string, unknown[]> = {
  accounts: [{ accountId: 'acc-1', displayName: 'Ana', imageUrl: null, connectedAt: 1_700_000_000_000 }],
  tracks: [{ id: 't1', name: 'Song', artists: [{ id: 'a1', name: 'Band' }], album: { id: 'al1', name: 'LP', imageUrl: null }, durationMs: 200_000, isrc: null }],
  artists: [{ id: 'a1', name: 'Band', genres: [], imageUrl: null }],
  snapshots: [{ id: 's1', accountId: 'acc-1', takenAt: 1_700_000_000_000, range: 'short_term', trackIds: ['t1'] }],
  plays: [{ accountId: 'acc-1', playedAt: 1_700_000_100_000, trackId: 't1', msPlayed: 180_000, source: 'recent' }],
  features: [{ trackId: 't1', energy: 0.5, valence: 0.5, danceability: 0.5, tempo: 120, acousticness: 0.1, instrumentalness: 0, source: 'reccobeats', fetchedAt: 1 }],
  outbox: [{ id: 'o1', accountId: 'acc-1', createdAt: 1, updatedAt: 1, state: 'pending', name: 'n', description: 'd', uris: [], playlistId: null, playlistUrl: null, addedCount: 0, attempts: 0, lastError: null }],
  imports: [{ id: 'acc-1:abc', accountId: 'acc-1', fileName: 'f.json', state: 'done', plays: 1, startedAt: 1, finishedAt: 2 }],
  meta: [{ key: 'acc-1:cursor', value: 123 }],
};
// written by version 1's sync: features the source did not know, with when it was asked
const V1_FEATURE_MISSES = { key: 'device:featuresUnknown', value: { t9: 1_700_000_000_000, t8: 1_700_000_500_000 } };

function writeRawV1(indexedDB: IDBFactory, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, 10);
    req.onupgradeneeded = () => {
      const idb = req.result;
      for (const [store, layout] of Object.entries(V1_LAYOUT)) {
        const os = idb.createObjectStore(store, { keyPath: layout.keyPath });
        for (const [index, keyPath] of layout.indexes) os.createIndex(index, keyPath);
      }
    };
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const idb = req.result;
      const tx = idb.transaction(Object.keys(V1_ROWS), 'readwrite');
      for (const [store, rows] of Object.entries(V1_ROWS)) for (const row of rows) tx.objectStore(store).put(row);
      tx.objectStore('meta').put(V1_FEATURE_MISSES);
      tx.oncomplete = () => {
        idb.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

describe('TimeMachineDb schema', () => {
  it('opens a database written by the version-1 app, finds every row, and upgrades it to version 2', async () => {
    const indexedDB = new IDBFactory();
    await writeRawV1(indexedDB, 'upgrade-from-v1');
    const db = new TimeMachineDb('upgrade-from-v1', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    for (const [store, rows] of Object.entries(V1_ROWS)) {
      expect(await db.table(store).toArray(), store).toEqual(rows);
    }
    // version 2 moved the feature misses from their meta row into a table
    expect(await db.featureMisses.orderBy('trackId').toArray()).toEqual([
      { trackId: 't8', askedAt: 1_700_000_500_000 },
      { trackId: 't9', askedAt: 1_700_000_000_000 },
    ]);
    // the indexes the repositories query must still answer
    expect(await db.snapshots.where('[accountId+range+takenAt]').between(['acc-1', 'short_term', 0], ['acc-1', 'short_term', Infinity]).count()).toBe(1);
    expect(await db.plays.where('[accountId+trackId]').equals(['acc-1', 't1']).count()).toBe(1);
    db.close();
  });

  it('keeps one play per (account, end time, track)', async () => {
    const db = new TimeMachineDb('unique-plays', { indexedDB: new IDBFactory(), IDBKeyRange });
    const play = { accountId: 'a', playedAt: 5, trackId: 't', msPlayed: 40_000, source: 'recent' as const };
    await db.plays.bulkPut([play, { ...play, source: 'export' as const }]);
    expect(await db.plays.count()).toBe(1);
    db.close();
  });
});
