import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Play } from '@mtm/core';
import { allPlays, playBounds } from './plays';
import { SCHEMA_VERSION, TimeMachineDb } from './schema';
import { V1_LAYOUT, V2_LAYOUT, type Layout } from './shipped-layouts';

const V1_ROWS: Record<string, unknown[]> = {
  accounts: [
    { accountId: 'acc-1', displayName: 'Ana', imageUrl: null, connectedAt: 1_700_000_000_000 },
  ],
  tracks: [
    {
      id: 't1',
      name: 'Song',
      artists: [{ id: 'a1', name: 'Band' }],
      album: { id: 'al1', name: 'LP', imageUrl: null },
      durationMs: 200_000,
      isrc: null,
    },
  ],
  artists: [{ id: 'a1', name: 'Band', genres: [], imageUrl: null }],
  snapshots: [
    {
      id: 's1',
      accountId: 'acc-1',
      takenAt: 1_700_000_000_000,
      range: 'short_term',
      trackIds: ['t1'],
    },
  ],
  plays: [
    {
      accountId: 'acc-1',
      playedAt: 1_700_000_100_000,
      trackId: 't1',
      msPlayed: 180_000,
      source: 'recent',
    },
  ],
  features: [
    {
      trackId: 't1',
      energy: 0.5,
      valence: 0.5,
      danceability: 0.5,
      tempo: 120,
      acousticness: 0.1,
      instrumentalness: 0,
      source: 'reccobeats',
      fetchedAt: 1,
    },
  ],
  outbox: [
    {
      id: 'o1',
      accountId: 'acc-1',
      createdAt: 1,
      updatedAt: 1,
      state: 'pending',
      name: 'n',
      description: 'd',
      uris: [],
      playlistId: null,
      playlistUrl: null,
      addedCount: 0,
      attempts: 0,
      lastError: null,
    },
  ],
  imports: [
    {
      id: 'acc-1:abc',
      accountId: 'acc-1',
      fileName: 'f.json',
      state: 'done',
      plays: 1,
      startedAt: 1,
      finishedAt: 2,
    },
  ],
  meta: [{ key: 'acc-1:cursor', value: 123 }],
};
// written by version 1's sync: features the source did not know, with when it was asked
const V1_FEATURE_MISSES = {
  key: 'device:featuresUnknown',
  value: { t9: 1_700_000_000_000, t8: 1_700_000_500_000 },
};

const DAY = 86_400_000;
const D0 = Date.UTC(2024, 2, 30); // a Saturday; the days below cross a month and a DST change nowhere: days are UTC
// plays as version 2's writers left them, in key order: one row each, two
// accounts, two plays at the same moment, a day's first and last millisecond
const V2_PLAYS: Play[] = [
  { accountId: 'acc-1', playedAt: D0, trackId: 't1', msPlayed: 180_000, source: 'export' },
  { accountId: 'acc-1', playedAt: D0 + DAY - 1, trackId: 't2', msPlayed: 20_000, source: 'export' },
  {
    accountId: 'acc-1',
    playedAt: D0 + DAY,
    trackId: 'band|song',
    msPlayed: 200_000,
    source: 'export',
  },
  {
    accountId: 'acc-1',
    playedAt: D0 + 3 * DAY + 5,
    trackId: 't1',
    msPlayed: 190_000,
    source: 'recent',
  },
  {
    accountId: 'acc-1',
    playedAt: D0 + 3 * DAY + 5,
    trackId: 't2',
    msPlayed: 190_000,
    source: 'recent',
  },
  {
    accountId: 'acc-2',
    playedAt: D0 + DAY + 7,
    trackId: 't1',
    msPlayed: 100_000,
    source: 'recent',
  },
];

function writeRaw(
  indexedDB: IDBFactory,
  name: string,
  idbVersion: number,
  layout: Layout,
  rows: Record<string, unknown[]>,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(name, idbVersion);
    req.onupgradeneeded = () => {
      const idb = req.result;
      for (const [store, l] of Object.entries(layout)) {
        const os = idb.createObjectStore(store, { keyPath: l.keyPath });
        for (const [index, keyPath] of l.indexes) os.createIndex(index, keyPath);
      }
    };
    req.onerror = () => reject(req.error);
    req.onsuccess = () => {
      const idb = req.result;
      const tx = idb.transaction(Object.keys(rows), 'readwrite');
      for (const [store, list] of Object.entries(rows))
        for (const row of list) tx.objectStore(store).put(row);
      tx.oncomplete = () => {
        idb.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
  });
}

describe('TimeMachineDb schema', () => {
  it('opens a database written by the version-1 app, finds every row, and upgrades it', async () => {
    const indexedDB = new IDBFactory();
    await writeRaw(indexedDB, 'upgrade-from-v1', 10, V1_LAYOUT, {
      ...V1_ROWS,
      meta: [...V1_ROWS['meta']!, V1_FEATURE_MISSES],
    });
    const db = new TimeMachineDb('upgrade-from-v1', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const { plays, ...others } = V1_ROWS;
    for (const [store, rows] of Object.entries(others)) {
      expect(await db.table(store).toArray(), store).toEqual(rows);
    }
    // version 2 moved the feature misses from their meta row into a table
    expect(await db.featureMisses.orderBy('trackId').toArray()).toEqual([
      { trackId: 't8', askedAt: 1_700_000_500_000 },
      { trackId: 't9', askedAt: 1_700_000_000_000 },
    ]);
    // version 3 moved the plays into day rows
    expect(await allPlays(db, 'acc-1')).toEqual(plays);
    // the indexes the repositories query must still answer
    expect(
      await db.snapshots
        .where('[accountId+range+takenAt]')
        .between(['acc-1', 'short_term', 0], ['acc-1', 'short_term', Infinity])
        .count(),
    ).toBe(1);
    db.close();
  });

  it('opens a database written by the version-2 app and moves its plays into one row per account and UTC day', async () => {
    const indexedDB = new IDBFactory();
    // shuffled: the upgrade must not depend on the order rows were written in
    const shuffled = [V2_PLAYS[3], V2_PLAYS[5], V2_PLAYS[0], V2_PLAYS[4], V2_PLAYS[2], V2_PLAYS[1]];
    await writeRaw(indexedDB, 'upgrade-from-v2', 20, V2_LAYOUT, {
      ...V1_ROWS,
      plays: shuffled,
      featureMisses: [{ trackId: 't9', askedAt: 5 }],
    });
    const db = new TimeMachineDb('upgrade-from-v2', { indexedDB, IDBKeyRange });
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name)).not.toContain('plays');
    expect(await allPlays(db, 'acc-1')).toEqual(V2_PLAYS.filter((p) => p.accountId === 'acc-1'));
    expect(await allPlays(db, 'acc-2')).toEqual(V2_PLAYS.filter((p) => p.accountId === 'acc-2'));
    expect(
      (await db.playDays.toArray()).map((r) => [r.accountId, r.day - D0 / DAY, r.trackId]),
    ).toEqual([
      ['acc-1', 0, ['t1', 't2']],
      ['acc-1', 1, ['band|song']],
      ['acc-1', 3, ['t1', 't2']],
      ['acc-2', 1, ['t1']],
    ]);
    expect(await playBounds(db, 'acc-1')).toEqual({ first: D0, last: D0 + 3 * DAY + 5 });
    // the rest of version 2 is untouched
    expect(await db.featureMisses.toArray()).toEqual([{ trackId: 't9', askedAt: 5 }]);
    expect(await db.outbox.toArray()).toEqual(V1_ROWS['outbox']);
    db.close();
  });

  it('upgrades more plays than one read page holds, days and accounts cut across page ends', async () => {
    // 2 accounts x 12,500 plays, 40 a day: the 10,000-play pages end inside days
    const plays: Play[] = ['acc-1', 'acc-2'].flatMap((accountId) =>
      Array.from({ length: 12_500 }, (_, i) => ({
        accountId,
        playedAt: D0 + i * (DAY / 40) + 7,
        trackId: `t${i % 13}`,
        msPlayed: i,
        source: 'export' as const,
      })),
    );
    const indexedDB = new IDBFactory();
    await writeRaw(indexedDB, 'upgrade-many', 20, V2_LAYOUT, { plays });
    const db = new TimeMachineDb('upgrade-many', { indexedDB, IDBKeyRange });
    await db.open();
    expect(await allPlays(db, 'acc-1')).toEqual(plays.slice(0, 12_500));
    expect(await allPlays(db, 'acc-2')).toEqual(plays.slice(12_500));
    expect(await db.playDays.count()).toBe(2 * Math.ceil(12_500 / 40));
    db.close();
  });
});
