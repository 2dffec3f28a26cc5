import { describe, expect, it } from 'vitest';
import type { AudioFeatures, Play, Snapshot } from '@mtm/core';
import { PLAYS_REVISION, TIMELINE_CACHE } from '../db/meta';
import { addPlays, allPlays } from '../db/plays';
import { freshDb, track } from '../db/test-db';
import type { TimeMachineDb } from '../db/schema';
import type { OutboxEntry } from '../outbox/outbox-entry';
import { BackupError, backupFileName, exportBackup, importBackup, parseBackup } from './backup';
import { BACKUP_VERSION } from './backup-schema';

const A = 'acc-a';
const B = 'acc-b';
const T0 = Date.UTC(2026, 2, 1);
// Spotify-shaped ids: a backup's outbox rows are checked like Spotify's own
const URI1 = 'spotify:track:4uLU6hMCjMI75M1A2tKUQC';
const URI2 = 'spotify:track:7GhIk7Il098yCjg4BQjzvb';
const PL = '37i9dQZF1DXcBWIGoYBM5M';

function features(trackId: string, fetchedAt: number, energy = 0.5): AudioFeatures {
  return {
    trackId,
    energy,
    valence: 0.4,
    danceability: 0.6,
    tempo: 121.5,
    acousticness: 0.1,
    instrumentalness: 0,
    source: 'reccobeats',
    fetchedAt,
    speechiness: 0.05,
  };
}

function outboxEntry(id: string, accountId: string, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    accountId,
    createdAt: T0,
    updatedAt: T0,
    state: 'done',
    name: 'Chill - Mar 2026',
    description: 'made by Music Time Machine from your history',
    uris: [URI1, URI2],
    playlistId: PL,
    playlistUrl: `https://open.spotify.com/playlist/${PL}`,
    addedCount: 2,
    attempts: 1,
    lastError: null,
    createAttempted: true,
    finishedAt: T0 + 5,
    origin: 'mood',
    ...over,
  };
}

async function seed(db: TimeMachineDb) {
  await db.accounts.bulkPut([
    { accountId: A, displayName: 'Ana', imageUrl: null, connectedAt: T0 },
    { accountId: B, displayName: 'Ben', imageUrl: null, connectedAt: T0 },
  ]);
  await db.tracks.bulkPut([
    track('t1'),
    track('t2'),
    track('t3', { isrc: 'GBAYE0601498' }),
    track('tb'),
  ]);
  await db.artists.bulkPut([
    { id: 'artist-t1', name: 'Artist t1', genres: ['pop'], imageUrl: null },
  ]);
  const snaps: Snapshot[] = [
    { id: 's1', accountId: A, takenAt: T0, range: 'short_term', trackIds: ['t1', 't2'] },
    {
      id: 's2',
      accountId: A,
      takenAt: T0 + 86_400_000,
      range: 'long_term',
      trackIds: ['t2', 't3'],
    },
    { id: 'sb', accountId: B, takenAt: T0, range: 'short_term', trackIds: ['tb'] },
  ];
  await db.snapshots.bulkPut(snaps);
  const plays: Play[] = [
    { accountId: A, playedAt: T0 + 1000, trackId: 't1', msPlayed: 200_000, source: 'recent' },
    { accountId: A, playedAt: T0 + 1000, trackId: 't3', msPlayed: 12_000, source: 'export' },
    {
      accountId: A,
      playedAt: T0 + 9000,
      trackId: 'queen|bohemian rhapsody',
      msPlayed: 354_000,
      source: 'export',
    },
    { accountId: B, playedAt: T0, trackId: 'tb', msPlayed: 1, source: 'recent' },
  ];
  await addPlays(db, plays);
  await db.features.bulkPut([features('t1', T0), features('t3', T0), features('tb', T0)]);
  await db.outbox.bulkPut([outboxEntry('o1', A), outboxEntry('ob', B)]);
  await db.imports.put({
    id: `${A}:abc`,
    accountId: A,
    fileName: 'Streaming_History_Audio_2024_0.json',
    state: 'done',
    plays: 2,
    startedAt: T0,
    finishedAt: T0 + 1,
  });
  await db.meta.bulkPut([
    { key: `${A}:settings`, value: { cadenceDays: 14, timeZone: 'Europe/Paris' } },
    { key: `${A}:recentCursor`, value: T0 + 9000 },
    {
      key: `${A}:${TIMELINE_CACHE}`,
      value: { stamp: 'made on the old device', timeline: { months: [] } },
    },
    { key: `${B}:settings`, value: { cadenceDays: 1, timeZone: null } },
    { key: 'device:currentAccount', value: A },
  ]);
}

const roundTrip = async (db: TimeMachineDb, accountId: string) =>
  parseBackup(JSON.stringify(await exportBackup(db, accountId, T0 + 10)));

describe('backup', () => {
  it('round-trips one account losslessly through a JSON file into an empty database', async () => {
    const source = freshDb();
    await seed(source);
    const file = await roundTrip(source, A);
    expect(file.version).toBe(BACKUP_VERSION);
    expect(file.app).toBe('music-time-machine');
    expect(file.exportedAt).toBe(T0 + 10);

    const target = freshDb();
    const summary = await importBackup(target, file);
    expect(summary.added).toEqual({ snapshots: 2, plays: 3, tracks: 3, outbox: 1 });

    // every row of account A, identical; nothing of account B
    expect(await target.snapshots.orderBy('id').toArray()).toEqual(
      (await source.snapshots.orderBy('id').toArray()).filter((s) => s.accountId === A),
    );
    expect(await allPlays(target, A)).toEqual(await allPlays(source, A));
    expect(await allPlays(target, B)).toEqual([]);
    expect(await target.tracks.orderBy('id').toArray()).toEqual([
      track('t1'),
      track('t2'),
      track('t3', { isrc: 'GBAYE0601498' }),
    ]);
    expect(await target.features.orderBy('trackId').toArray()).toEqual([
      features('t1', T0),
      features('t3', T0),
    ]);
    expect(await target.outbox.toArray()).toEqual([outboxEntry('o1', A)]);
    expect(await target.imports.toArray()).toEqual(await source.imports.toArray());
    expect(await target.accounts.toArray()).toEqual([
      { accountId: A, displayName: 'Ana', imageUrl: null, connectedAt: T0 },
    ]);
    expect(await target.artists.toArray()).toEqual(await source.artists.toArray());
    // caches derived from other rows stay behind (the plays revision is this device's own)
    expect(file.settings).not.toHaveProperty(PLAYS_REVISION);
    expect(file.settings).not.toHaveProperty(TIMELINE_CACHE);
    expect(
      (await target.meta.orderBy('key').toArray()).filter((m) => !m.key.endsWith(PLAYS_REVISION)),
    ).toEqual([
      { key: `${A}:recentCursor`, value: T0 + 9000 },
      { key: `${A}:settings`, value: { cadenceDays: 14, timeZone: 'Europe/Paris' } },
    ]);

    // and the file made on the new device is the same file
    expect(await roundTrip(target, A)).toEqual(file);
  });

  it('merges into existing data without doubling anything, keeping the richer and newer facts', async () => {
    const source = freshDb();
    await seed(source);
    const file = await roundTrip(source, A);
    const target = freshDb();
    await target.accounts.put({
      accountId: A,
      displayName: 'Ana',
      imageUrl: null,
      connectedAt: T0 + 50,
    });
    await target.tracks.put(track('t1', { album: { id: null, name: 'Album t1', imageUrl: null } }));
    await target.features.put(features('t3', T0 + 99, 0.9));
    await addPlays(target, [
      { accountId: A, playedAt: T0 + 1000, trackId: 't1', msPlayed: 200_000, source: 'recent' },
    ]);
    await target.meta.put({ key: `${A}:settings`, value: { cadenceDays: 30, timeZone: null } });

    const first = await importBackup(target, file);
    expect(first.added.plays).toBe(2);
    const second = await importBackup(target, file);
    expect(second.added).toEqual({ snapshots: 0, plays: 0, tracks: 0, outbox: 0 });

    expect(await allPlays(target, A)).toHaveLength(3);
    expect(await target.snapshots.count()).toBe(2);
    expect((await target.tracks.get('t1'))?.album.imageUrl).toBe('https://i.scdn.co/image/t1');
    expect((await target.features.get('t3'))?.energy).toBe(0.9);
    expect((await target.accounts.get(A))?.connectedAt).toBe(T0);
    expect((await target.meta.get(`${A}:settings`))?.value).toEqual({
      cadenceDays: 30,
      timeZone: null,
    });
  });

  it('marks an unfinished imported push so it looks for its playlist before creating one', async () => {
    const source = freshDb();
    await seed(source);
    await source.outbox.put(
      outboxEntry('o2', A, {
        state: 'pending',
        playlistId: null,
        playlistUrl: null,
        addedCount: 0,
        attempts: 0,
        createAttempted: false,
        finishedAt: null,
      }),
    );
    const target = freshDb();
    await importBackup(target, await roundTrip(source, A));
    expect(((await target.outbox.get('o2')) as OutboxEntry).createAttempted).toBe(true);
    expect(((await target.outbox.get('o1')) as OutboxEntry).createAttempted).toBe(true);
  });

  it('refuses a file from a newer app version with a clear message', async () => {
    const source = freshDb();
    await seed(source);
    const file = {
      ...(await exportBackup(source, A, T0)),
      version: BACKUP_VERSION + 1,
      somethingNew: [],
    };
    expect(() => parseBackup(JSON.stringify(file))).toThrow(/newer version of the app/);
    try {
      parseBackup(JSON.stringify(file));
    } catch (e) {
      expect((e as BackupError).code).toBe('NEWER_VERSION');
    }
  });

  it.each([
    ['not JSON', '{"app": "music-time', 'NOT_JSON'],
    ['another app', JSON.stringify({ app: 'other', version: 1 }), 'NOT_A_BACKUP'],
    ['no version', JSON.stringify({ app: 'music-time-machine' }), 'NOT_A_BACKUP'],
  ])('refuses %s', (_, text, code) => {
    expect(() => parseBackup(text)).toThrow(BackupError);
    try {
      parseBackup(text);
    } catch (e) {
      expect((e as BackupError).code).toBe(code);
    }
  });

  it('refuses a damaged file, names the bad field and writes nothing', async () => {
    const source = freshDb();
    await seed(source);
    const file = await exportBackup(source, A, T0);
    const broken = JSON.parse(JSON.stringify(file));
    broken.plays[1].playedAt = 'yesterday';
    expect(() => parseBackup(JSON.stringify(broken))).toThrow(/plays\.1\.playedAt/);

    const spliced = JSON.parse(JSON.stringify(file));
    spliced.snapshots[0].accountId = B;
    expect(() => parseBackup(JSON.stringify(spliced))).toThrow(/snapshots\.0\.accountId/);
  });

  it('writes nothing when the merge fails half way', async () => {
    const source = freshDb();
    await seed(source);
    const file = await roundTrip(source, A);
    const target = freshDb();
    // a row the database cannot key makes the last writes throw inside the transaction
    (file.imports as unknown[]).push({ ...file.imports[0], id: undefined });
    await expect(importBackup(target, file)).rejects.toThrow();
    expect(await target.playDays.count()).toBe(0);
    expect(await target.accounts.count()).toBe(0);
  });

  it('names the file after the account and the day', () => {
    expect(backupFileName('spotify:user/1', Date.UTC(2026, 10, 27, 23))).toBe(
      'music-time-machine-spotify_user_1-2026-11-27.json',
    );
  });

  it('refuses to export an account this device does not know', async () => {
    await expect(exportBackup(freshDb(), 'nobody', T0)).rejects.toMatchObject({
      code: 'UNKNOWN_ACCOUNT',
    });
  });
});
