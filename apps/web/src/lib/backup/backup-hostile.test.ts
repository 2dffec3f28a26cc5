// Issue 12, "Hostile files, hostile pages": a backup is a file anyone can hand
// over. It must not start a push by itself, smuggle a link or an id past the
// checks Spotify's own answers get, write under another account's (or the
// device's) keys, rename the tracks other diaries share, or freeze the page.
import { describe, expect, it, vi } from 'vitest';
import type { Track } from '@mtm/core';
import { freshDb, track } from '../db/test-db';
import type { TimeMachineDb } from '../db/schema';
import { FakeSpotify } from '../outbox/fake-spotify';
import { describeWithMarker } from '../outbox/marker';
import { processOutbox, retryNow, type OutboxDeps } from '../outbox/outbox';
import { isDue, type OutboxEntry } from '../outbox/outbox-entry';
import { OutboxRunner } from '../outbox/outbox-runner';
import {
  BackupError,
  MAX_BACKUP_BYTES,
  exportBackup,
  restoreBackup,
  type BackupSource,
} from './backup';
import type { BackupFile } from './backup-schema';
import { RESTORED_FROM_BACKUP } from './restored-push';

const A = 'acc-a';
const T0 = Date.UTC(2026, 2, 1);
const ID1 = '4uLU6hMCjMI75M1A2tKUQC';
const ID2 = '7GhIk7Il098yCjg4BQjzvb';
const PL = '37i9dQZF1DXcBWIGoYBM5M';
const uri = (id: string) => `spotify:track:${id}`;

function entry(id: string, over: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    accountId: A,
    createdAt: T0,
    updatedAt: T0,
    state: 'done',
    name: 'Chill - Mar 2026',
    description: 'made by Music Time Machine from your history',
    uris: [uri(ID1), uri(ID2)],
    playlistId: PL,
    playlistUrl: `https://open.spotify.com/playlist/${PL}`,
    addedCount: 2,
    attempts: 1,
    lastError: null,
    createAttempted: true,
    finishedAt: T0 + 5,
    ...over,
  };
}

const unfinished = (id: string, over: Partial<OutboxEntry> = {}) =>
  entry(id, {
    state: 'pending',
    playlistId: null,
    playlistUrl: null,
    addedCount: 0,
    attempts: 0,
    createAttempted: false,
    finishedAt: null,
    ...over,
  });

/** A valid backup of account A: two tracks, a play, a done push and whatever `extra` adds. */
async function backupOf(extra: OutboxEntry[] = []): Promise<BackupFile> {
  const db = freshDb();
  await db.accounts.put({ accountId: A, displayName: 'Ana', imageUrl: null, connectedAt: T0 });
  await db.tracks.bulkPut([track(ID1), track(ID2)]);
  await db.snapshots.put({
    id: 's1',
    accountId: A,
    takenAt: T0,
    range: 'short_term',
    trackIds: [ID1, ID2],
  });
  await db.outbox.bulkPut([entry('o1'), ...extra]);
  await db.meta.put({ key: `${A}:settings`, value: { cadenceDays: 7, timeZone: null } });
  return JSON.parse(JSON.stringify(await exportBackup(db, A, T0 + 10))) as BackupFile;
}

/** A device that already holds another diary, to see that a refused file leaves it alone. */
async function deviceWithADiary(): Promise<TimeMachineDb> {
  const db = freshDb();
  await db.accounts.put({
    accountId: 'acc-b',
    displayName: 'Ben',
    imageUrl: null,
    connectedAt: T0,
  });
  await db.tracks.put(track(ID1, { name: 'Hey Jude' }));
  await db.meta.bulkPut([
    { key: 'device:currentAccount', value: 'acc-b' },
    { key: 'acc-b:settings', value: { cadenceDays: 1, timeZone: null } },
  ]);
  return db;
}

async function everyRow(db: TimeMachineDb): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of db.tables) out[table.name] = await table.toArray();
  return out;
}

const source = (text: string): BackupSource => new Blob([text], { type: 'application/json' });

/** Restores `file` into a device with a diary; expects a refusal and an untouched database. */
async function expectRefused(file: unknown, message: RegExp, code = 'MALFORMED'): Promise<void> {
  const db = await deviceWithADiary();
  const before = await everyRow(db);
  const err = await restoreBackup(db, source(JSON.stringify(file))).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BackupError);
  expect((err as BackupError).code).toBe(code);
  expect((err as BackupError).message).toMatch(message);
  expect((err as BackupError).message).toMatch(/Nothing was changed\.$/);
  expect(await everyRow(db)).toEqual(before);
}

/** The file with every row's accountId and the account's id set to `id`. */
function renamed(file: BackupFile, id: string): BackupFile {
  const own = <T extends { accountId: string }>(rows: T[]) =>
    rows.map((r) => ({ ...r, accountId: id }));
  return {
    ...file,
    account: { ...file.account, accountId: id },
    snapshots: own(file.snapshots),
    plays: own(file.plays),
    outbox: own(file.outbox),
    imports: own(file.imports),
  };
}

describe('issue 12: a backup file cannot start a push', () => {
  const deps = (db: TimeMachineDb, client: FakeSpotify, now = T0 + 1000): OutboxDeps => ({
    db,
    client,
    now: () => now,
  });

  it('restores an unfinished push paused: no pass and no timer runs it, whatever the reason or the hour', async () => {
    const file = await backupOf([
      unfinished('o2'),
      // part way through on the other device, and waiting out a 429 that is long over
      unfinished('o3', {
        state: 'failed',
        playlistId: PL,
        playlistUrl: `https://open.spotify.com/playlist/${PL}`,
        addedCount: 1,
        createAttempted: true,
        lastError: { code: 'RATE_LIMITED', message: 'x', retryAt: T0 },
      }),
    ]);
    const db = freshDb();
    await restoreBackup(db, source(JSON.stringify(file)));

    for (const id of ['o2', 'o3']) {
      const e = (await db.outbox.get(id)) as OutboxEntry;
      expect(e).toMatchObject({
        state: 'failed',
        createAttempted: true,
        lastError: { code: RESTORED_FROM_BACKUP, retryAt: null },
      });
      for (const reason of ['open', 'online', 'tick'] as const)
        expect(isDue(e, T0 + 10 * 365 * 86_400_000, reason)).toBe(false);
    }
    expect((await db.outbox.get('o1'))?.state).toBe('done');

    const spotify = new FakeSpotify();
    for (const reason of ['open', 'online', 'tick'] as const)
      expect((await processOutbox(deps(db, spotify), A, reason)).tried).toEqual([]);
    const setTimer = vi.fn();
    const runner = new OutboxRunner({
      db,
      accountId: A,
      client: spotify,
      now: () => T0 + 1000,
      isOnline: () => true,
      locks: null,
      events: null,
      setTimer,
      clearTimer: () => undefined,
    });
    await runner.start();
    runner.stop();
    expect(setTimer).not.toHaveBeenCalled();
    expect(spotify.totalRequests).toBe(0);
  });

  it('sends a restored push after Retry, exactly once', async () => {
    const db = freshDb();
    await restoreBackup(db, source(JSON.stringify(await backupOf([unfinished('o2')]))));
    const spotify = new FakeSpotify();

    await retryNow(db, 'o2', T0 + 2000);
    const pass = await processOutbox(deps(db, spotify, T0 + 2000), A, 'tick');
    expect(pass.done).toEqual(['o2']);
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual([uri(ID1), uri(ID2)]);
    // the file said it may have been sent before: the marker is looked for first
    expect(spotify.requests).toMatchObject({ find: 1, create: 1 });

    for (const reason of ['open', 'online', 'tick'] as const)
      await processOutbox(deps(db, spotify, T0 + 3000), A, reason);
    await retryNow(db, 'o2', T0 + 4000); // a second tap on a done push does nothing
    await processOutbox(deps(db, spotify, T0 + 4000), A, 'tick');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.requests.create).toBe(1);
    expect((await db.outbox.get('o2'))?.state).toBe('done');
  });

  it('finds the playlist the other device made after the file was saved, instead of making a second', async () => {
    const db = freshDb();
    await restoreBackup(db, source(JSON.stringify(await backupOf([unfinished('o2')]))));
    const spotify = new FakeSpotify();
    const made = await spotify.createPlaylist({
      name: 'Chill - Mar 2026',
      description: describeWithMarker('made by Music Time Machine from your history', 'o2'),
    });
    await spotify.pushTracks(made.id, [uri(ID1)], { freshlyCreated: true });

    await retryNow(db, 'o2', T0 + 2000);
    await processOutbox(deps(db, spotify, T0 + 2000), A, 'tick');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual([uri(ID1), uri(ID2)]);
    expect((await db.outbox.get('o2'))?.playlistId).toBe(made.id);
  });
});

describe('issue 12: a backup is refused whole for one bad value, naming it', () => {
  it.each([
    ['an episode', 'spotify:episode:512ojhOuo1ktJprKbVcKyQ'],
    ['a name key', 'spotify:track:queen|bohemian rhapsody'],
    ['a short id', 'spotify:track:t1'],
    ['a URL', `https://open.spotify.com/track/${ID1}`],
  ])('a track URI that is %s', async (_, bad) => {
    const file = await backupOf([unfinished('o2')]);
    file.outbox[1]!.uris[1] = bad;
    await expectRefused(
      file,
      new RegExp(`\\(outbox\\.1\\.uris\\.1: ".*" is not a Spotify track URI .*\\)`),
    );
  });

  it.each([
    ['a path', '../../users/someone-else/playlists'],
    ['too short', 'pl1'],
    ['an empty string', ''],
  ])('a playlist id that is %s', async (_, bad) => {
    const file = await backupOf();
    file.outbox[0]!.playlistId = bad;
    await expectRefused(file, /\(outbox\.0\.playlistId: ".*" is not a Spotify playlist id\)/);
  });

  it.each([
    ['a script', 'javascript:alert(document.cookie)'],
    ['another host', 'https://spotify-login.example/playlist/x'],
    ['plain http', `http://open.spotify.com/playlist/${PL}`],
    ['credentials', `https://me:secret@open.spotify.com/playlist/${PL}`],
    ['a host hidden behind a user name', 'https://open.spotify.com@evil.example/'],
  ])('a playlist URL that is %s', async (_, bad) => {
    const file = await backupOf();
    file.outbox[0]!.playlistUrl = bad;
    await expectRefused(
      file,
      /\(outbox\.0\.playlistUrl: ".*" is not a link to https:\/\/open\.spotify\.com\/\)/,
    );
  });

  it.each([
    ['a script', 'javascript:alert(1)'],
    ['inline data', 'data:image/svg+xml,<svg onload=alert(1)>'],
    ['plain http to another machine', 'http://tracker.example/pixel.gif'],
    ['credentials', 'https://me:secret@i.scdn.co/image/x'],
  ])('an image address that is %s, on a cover or an avatar', async (_, bad) => {
    const cover = await backupOf();
    cover.tracks[1]!.album.imageUrl = bad;
    await expectRefused(cover, /\(tracks\.1\.album\.imageUrl: ".*" is not an image address/);
    const avatar = await backupOf();
    avatar.account.imageUrl = bad;
    await expectRefused(avatar, /\(account\.imageUrl: ".*" is not an image address/);
  });

  it.each([
    ['the device prefix', 'device', /"device" is a name this app keeps for itself/],
    ['the device prefix in capitals', 'DEVICE', /"DEVICE" is a name this app keeps for itself/],
    ['the key separator', 'a:b', /"a:b" is not an account id/],
    ['a key of the device', 'device:currentAccount', /is not an account id/],
    ['empty', '', /"" is not an account id/],
    ['longer than 64 characters', 'x'.repeat(65), /is not an account id/],
    ['a slash', 'spotify/user', /is not an account id/],
  ])('an account id with %s', async (_, id, message) => {
    // every row agrees with the account: only the id itself is wrong
    await expectRefused(renamed(await backupOf(), id), message);
  });

  it('a row that names another account than the file', async () => {
    const file = await backupOf([unfinished('o2')]);
    file.outbox[1]!.accountId = 'acc-b';
    await expectRefused(
      file,
      /\(outbox\.1\.accountId: "acc-b" is another account than "acc-a", whose backup this is\)/,
    );
    const spliced = await backupOf();
    spliced.snapshots[0]!.accountId = 'device';
    await expectRefused(spliced, /\(snapshots\.0\.accountId: "device" is another account/);
  });

  it('a file larger than any backup, from its size and without reading it', async () => {
    const db = await deviceWithADiary();
    const before = await everyRow(db);
    const text = vi.fn(async () => '{}');
    const err = await restoreBackup(db, { size: 2_100_000_000, text }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'TOO_BIG',
      message:
        'This file is 2.1 GB; a backup of this app is at most 512 MB (ten years of listening make about 50 MB), so it is not one. Nothing was changed.',
    });
    expect(text).not.toHaveBeenCalled();
    expect(await everyRow(db)).toEqual(before);
    // the cap itself is allowed
    await expect(
      restoreBackup(db, { size: MAX_BACKUP_BYTES, text: async () => 'not json' }),
    ).rejects.toMatchObject({ code: 'NOT_JSON' });
  });
});

describe('issue 12: a backup never renames the tracks other diaries share', () => {
  it('keeps the name, artists and album of a track on the device and fills only what it lacks', async () => {
    const file = await backupOf();
    const tracks = file.tracks as Track[];
    tracks[0] = track(ID1, {
      name: 'Free Bitcoin: click here',
      artists: [{ id: 'spoofed', name: 'Someone Else' }],
      album: { id: 'album-x', name: 'Not The Album', imageUrl: 'https://i.scdn.co/image/filled' },
      durationMs: 123_000,
      isrc: 'GBAYE0601498',
    });
    tracks[1] = track(ID2, { name: 'Named In The File' });
    const db = freshDb();
    const known = track(ID1, {
      name: 'Hey Jude',
      artists: [{ id: null, name: 'The Beatles' }],
      album: { id: null, name: 'Hey Jude', imageUrl: null },
      durationMs: null,
    });
    await db.tracks.bulkPut([known, track(ID2, { name: '', artists: [] })]);

    await restoreBackup(db, source(JSON.stringify(file)));
    expect(await db.tracks.get(ID1)).toEqual({
      ...known,
      album: { id: 'album-x', name: 'Hey Jude', imageUrl: 'https://i.scdn.co/image/filled' },
      durationMs: 123_000,
      isrc: 'GBAYE0601498',
    });
    // a row that has no name or artists takes the file's
    expect(await db.tracks.get(ID2)).toMatchObject({
      name: 'Named In The File',
      artists: track(ID2).artists,
    });
  });
});
