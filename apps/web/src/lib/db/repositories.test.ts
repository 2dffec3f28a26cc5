import { describe, expect, it } from 'vitest';
import { addPlays, allPlays, playBounds, playsBetween } from './plays';
import { addSnapshots, countSnapshots, latestSnapshot, snapshotsBetween } from './snapshots';
import { getTracks, saveTracks } from './tracks';
import { lackingFeatures, saveFeatures } from './features';
import { currentAccountId, deleteAccountData, listAccounts, rememberAccount, switchAccount } from './accounts';
import { loadSettings, saveSettings, DEFAULT_SETTINGS } from './settings';
import { accountKey, readMeta, writeMeta } from './meta';
import { freshDb, track } from './test-db';

const play = (accountId: string, playedAt: number, trackId = 't1') => ({ accountId, playedAt, trackId, msPlayed: 60_000, source: 'recent' as const });

describe('tracks repository', () => {
  it('keeps cover art and artist ids when a poorer copy of the track arrives (import after sync)', async () => {
    const db = freshDb();
    await saveTracks(db, [track('t1')]);
    await saveTracks(db, [track('t1', { artists: [{ id: null, name: 'Artist t1' }], album: { id: null, name: 'Album t1', imageUrl: null } })]);
    const t = (await getTracks(db, ['t1'])).get('t1');
    expect(t?.album.imageUrl).toBe('https://i.scdn.co/image/t1');
    expect(t?.artists[0]?.id).toBe('artist-t1');
  });
  it('takes new cover art when it arrives later', async () => {
    const db = freshDb();
    await saveTracks(db, [track('t1', { album: { id: null, name: 'A', imageUrl: null } })]);
    await saveTracks(db, [track('t1')]);
    expect((await getTracks(db, ['t1'])).get('t1')?.album.imageUrl).toBe('https://i.scdn.co/image/t1');
  });
});

describe('plays repository', () => {
  it('counts only new plays and never doubles a re-captured one', async () => {
    const db = freshDb();
    expect(await addPlays(db, [play('a', 1), play('a', 2)])).toBe(2);
    expect(await addPlays(db, [play('a', 2), play('a', 3)])).toBe(1);
    expect(await allPlays(db, 'a')).toHaveLength(3);
  });
  it('reads a half-open time window of one account only', async () => {
    const db = freshDb();
    await addPlays(db, [play('a', 10), play('a', 20), play('a', 30), play('b', 20)]);
    expect((await playsBetween(db, 'a', 10, 30)).map((p) => p.playedAt)).toEqual([10, 20]);
    expect(await playBounds(db, 'a')).toEqual({ first: 10, last: 30 });
    expect(await playBounds(db, 'nobody')).toBeNull();
  });
});

describe('snapshots repository', () => {
  it('finds the newest snapshot per range and account', async () => {
    const db = freshDb();
    await addSnapshots(db, [
      { id: '1', accountId: 'a', takenAt: 100, range: 'short_term', trackIds: [] },
      { id: '2', accountId: 'a', takenAt: 300, range: 'short_term', trackIds: [] },
      { id: '3', accountId: 'a', takenAt: 500, range: 'long_term', trackIds: [] },
      { id: '4', accountId: 'b', takenAt: 900, range: 'short_term', trackIds: [] },
    ]);
    expect((await latestSnapshot(db, 'a', 'short_term'))?.id).toBe('2');
    expect(await latestSnapshot(db, 'a', 'medium_term')).toBeUndefined();
    expect((await snapshotsBetween(db, 'a', 100, 500)).map((s) => s.id)).toEqual(['1', '2']);
    expect(await countSnapshots(db, 'a')).toBe(3);
  });
});

describe('features repository', () => {
  it('lists only the tracks without features', async () => {
    const db = freshDb();
    await saveFeatures(db, [{ trackId: 't2', energy: 1, valence: 1, danceability: 1, tempo: 1, acousticness: 0, instrumentalness: 0, source: 'reccobeats', fetchedAt: 0 }]);
    expect(await lackingFeatures(db, ['t1', 't2', 't3', 't1'])).toEqual(['t1', 't3']);
  });
});

describe('accounts repository', () => {
  it('keeps separate diaries and deletes one account without touching the other', async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    await rememberAccount(db, { accountId: 'b', displayName: 'B', imageUrl: null }, 2, { makeCurrent: true });
    expect(await currentAccountId(db)).toBe('b');
    await addPlays(db, [play('a', 1), play('b', 1)]);
    await addSnapshots(db, [{ id: 's', accountId: 'a', takenAt: 1, range: 'short_term', trackIds: ['t1'] }]);
    await saveTracks(db, [track('t1')]);
    await writeMeta(db, accountKey('a', 'cursor'), 5);
    await writeMeta(db, accountKey('b', 'cursor'), 6);

    await deleteAccountData(db, 'a');

    expect((await listAccounts(db)).map((x) => x.accountId)).toEqual(['b']);
    expect(await allPlays(db, 'a')).toEqual([]);
    expect(await allPlays(db, 'b')).toHaveLength(1);
    expect(await countSnapshots(db, 'a')).toBe(0);
    expect(await readMeta(db, accountKey('a', 'cursor'))).toBeUndefined();
    expect(await readMeta(db, accountKey('b', 'cursor'))).toBe(6);
    // catalogue facts are shared by accounts
    expect((await getTracks(db, ['t1'])).size).toBe(1);
    expect(await currentAccountId(db)).toBe('b');
  });
  it('a routine sync of another account does not change the diary shown; a fresh connection does', async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    expect(await currentAccountId(db)).toBe('a');
    await rememberAccount(db, { accountId: 'b', displayName: 'B', imageUrl: null }, 2);
    expect(await currentAccountId(db)).toBe('a');
    await rememberAccount(db, { accountId: 'b', displayName: 'B', imageUrl: null }, 3, { makeCurrent: true });
    expect(await currentAccountId(db)).toBe('b');
  });
  it('keeps the first connection time on reconnect and refuses to switch to an unknown account', async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    const again = await rememberAccount(db, { accountId: 'a', displayName: 'A2', imageUrl: null }, 99);
    expect(again).toMatchObject({ connectedAt: 1, displayName: 'A2' });
    await expect(switchAccount(db, 'zzz')).rejects.toThrow();
    await deleteAccountData(db, 'a');
    expect(await currentAccountId(db)).toBeNull();
  });
});

describe('settings', () => {
  it('defaults to a weekly cadence and the device time zone, and rejects an unknown cadence or zone', async () => {
    const db = freshDb();
    expect(await loadSettings(db, 'a')).toEqual(DEFAULT_SETTINGS);
    await saveSettings(db, 'a', { cadence: 'monthly' });
    expect((await loadSettings(db, 'a')).cadence).toBe('monthly');
    expect((await loadSettings(db, 'b')).cadence).toBe('weekly');
    await expect(saveSettings(db, 'a', { cadence: 'hourly' as never })).rejects.toThrow(RangeError);
    await expect(saveSettings(db, 'a', { timeZone: 'Mars/Olympus' })).rejects.toThrow(RangeError);
    await saveSettings(db, 'a', { timeZone: 'Europe/Paris' });
    expect(await loadSettings(db, 'a')).toEqual({ cadence: 'monthly', timeZone: 'Europe/Paris' });
  });
});
