import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Play } from '@mtm/core';
import { PlayDays, addPlays, allPlays, playBounds, playedTrackIds, playsBetween } from './plays';
import { addSnapshots, countSnapshots, latestSnapshot, snapshotsBetween } from './snapshots';
import { getTracks, saveTracks } from './tracks';
import { lackingFeatures, saveFeatures } from './features';
import {
  currentAccountId,
  deleteAccountData,
  listAccounts,
  rememberAccount,
  switchAccount,
} from './accounts';
import {
  loadSettings,
  loadStampedSettings,
  mergeReceivedSettings,
  newestSettings,
  saveSettings,
  DEFAULT_SETTINGS,
  type StampedSettings,
} from './settings';
import { PLAYS_REVISION, accountKey, readMeta, writeMeta } from './meta';
import { loadSyncState, saveSyncState } from './sync-state';
import { freshDb, track } from './test-db';

const DAY = 86_400_000;
const play = (accountId: string, playedAt: number, trackId = 't1') => ({
  accountId,
  playedAt,
  trackId,
  msPlayed: 60_000,
  source: 'recent' as const,
});

describe('tracks repository', () => {
  it('keeps cover art and artist ids when a poorer copy of the track arrives (import after sync)', async () => {
    const db = freshDb();
    await saveTracks(db, [track('t1')]);
    await saveTracks(db, [
      track('t1', {
        artists: [{ id: null, name: 'Artist t1' }],
        album: { id: null, name: 'Album t1', imageUrl: null },
      }),
    ]);
    const t = (await getTracks(db, ['t1'])).get('t1');
    expect(t?.album.imageUrl).toBe('https://i.scdn.co/image/t1');
    expect(t?.artists[0]?.id).toBe('artist-t1');
  });
  it('takes new cover art when it arrives later', async () => {
    const db = freshDb();
    await saveTracks(db, [track('t1', { album: { id: null, name: 'A', imageUrl: null } })]);
    await saveTracks(db, [track('t1')]);
    expect((await getTracks(db, ['t1'])).get('t1')?.album.imageUrl).toBe(
      'https://i.scdn.co/image/t1',
    );
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

  it('stores one row per account and UTC day, and deletes a day whose last play is removed', async () => {
    const db = freshDb();
    await addPlays(db, [
      play('a', DAY - 1, 't2'),
      play('a', DAY - 1, 't1'),
      play('a', DAY),
      play('b', DAY + 5),
    ]);
    expect((await db.playDays.toArray()).map((r) => [r.accountId, r.day, r.trackId])).toEqual([
      ['a', 0, ['t1', 't2']],
      ['a', 1, ['t1']],
      ['b', 1, ['t1']],
    ]);
    await db.transaction('rw', db.playDays, db.meta, async () => {
      const days = await PlayDays.read(db, 'a', DAY, DAY);
      expect(days.plays()).toEqual([play('a', DAY)]);
      // a replacement may share its key with the play it replaces
      expect(
        await days.apply(
          [play('a', DAY)],
          [{ ...play('a', DAY), source: 'export' }, play('a', 5 * DAY)],
        ),
      ).toBe(2);
      await days.apply([play('a', DAY - 1, 't1'), play('a', DAY - 1, 't2')], []);
      await days.save();
    });
    expect((await db.playDays.toArray()).map((r) => [r.accountId, r.day, r.source])).toEqual([
      ['a', 1, ['export']],
      ['a', 5, ['recent']],
      ['b', 1, ['recent']],
    ]);
    expect(await playedTrackIds(db, 'a')).toEqual(new Set(['t1']));
  });

  it("refuses another account's play and renews the revision only when plays change", async () => {
    const db = freshDb();
    const revision = () => readMeta<string>(db, accountKey('a', PLAYS_REVISION));
    await addPlays(db, [play('a', 1)]);
    const first = await revision();
    expect(first).toEqual(expect.any(String));
    await db.transaction('rw', db.playDays, db.meta, async () => {
      const days = await PlayDays.read(db, 'a');
      await expect(days.apply([], [play('b', 2)])).rejects.toThrow(/account b .* a's plays/);
      // nor removes one: the key alone would match a's play at the same moment
      await expect(days.apply([play('b', 1)], [])).rejects.toThrow(/account b .* a's plays/);
      await days.save(); // nothing changed
    });
    expect(await revision()).toBe(first);
    await addPlays(db, [play('a', 1)]); // the same play again still rewrites its day
    expect(await revision()).not.toBe(first);
  });

  it('reads what a model of (account, end time, track) -> last play written holds, for any writes and any window', async () => {
    const at = fc.oneof(
      fc.integer({ min: -2 * DAY, max: 3 * DAY }),
      fc.constantFrom(-1, 0, DAY - 1, DAY, 2 * DAY),
    );
    const aPlay = fc.record({
      accountId: fc.constantFrom('a', 'b'),
      playedAt: at,
      trackId: fc.constantFrom('t1', 't2', 'band|song'),
      msPlayed: fc.nat(400_000),
      source: fc.constantFrom('recent' as const, 'export' as const),
    });
    // removals mostly hit stored plays (picked by index; by key, whatever msPlayed says), so days empty out
    const write = fc.record({
      remove: fc.array(fc.nat(), { maxLength: 6 }),
      stray: fc.array(aPlay, { maxLength: 2 }),
      add: fc.array(aPlay, { maxLength: 12 }),
    });
    const key = (p: Play) => `${p.accountId}|${p.playedAt}|${p.trackId}`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { minLength: 1, maxLength: 6 }),
        at,
        at,
        async (writes, x, y) => {
          const db = freshDb();
          const model = new Map<string, Play>();
          for (const { remove, stray, add } of writes) {
            const stored = [...model.values()].filter((p) => p.accountId === 'a');
            const picked = stored.length
              ? remove.map((i) => ({ ...stored[i % stored.length]!, msPlayed: 1 }))
              : [];
            const rm = [...picked, ...stray.filter((p) => p.accountId === 'a')];
            const ad = add.filter((p) => p.accountId === 'a');
            await db.transaction('rw', db.playDays, db.meta, async () => {
              const days = PlayDays.none(db, 'a');
              const fresh = await days.apply(rm, ad);
              for (const p of rm) model.delete(key(p));
              const before = new Set(model.keys());
              for (const p of ad) model.set(key(p), p);
              expect(fresh).toBe(new Set(ad.map(key).filter((k) => !before.has(k))).size);
              await days.save();
            });
            await addPlays(
              db,
              add.filter((p) => p.accountId === 'b'),
            );
            for (const p of add.filter((p) => p.accountId === 'b')) model.set(key(p), p);
          }
          const sorted = (acc: string) =>
            [...model.values()]
              .filter((p) => p.accountId === acc)
              .sort((p, q) => p.playedAt - q.playedAt || (p.trackId < q.trackId ? -1 : 1));
          for (const acc of ['a', 'b']) {
            const expected = sorted(acc);
            expect(await allPlays(db, acc)).toEqual(expected);
            const [from, to] = [Math.min(x, y), Math.max(x, y)];
            expect(await playsBetween(db, acc, from, to)).toEqual(
              expected.filter((p) => p.playedAt >= from && p.playedAt < to),
            );
            expect(await playBounds(db, acc)).toEqual(
              expected.length
                ? { first: expected[0]!.playedAt, last: expected[expected.length - 1]!.playedAt }
                : null,
            );
          }
          // no empty day rows, and each row holds only its own day
          for (const row of await db.playDays.toArray()) {
            expect(row.playedAt.length).toBeGreaterThan(0);
            expect(row.playedAt.every((t) => Math.floor(t / DAY) === row.day)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
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
    await saveFeatures(db, [
      {
        trackId: 't2',
        energy: 1,
        valence: 1,
        danceability: 1,
        tempo: 1,
        acousticness: 0,
        instrumentalness: 0,
        source: 'reccobeats',
        fetchedAt: 0,
      },
    ]);
    expect(await lackingFeatures(db, ['t1', 't2', 't3', 't1'])).toEqual(['t1', 't3']);
  });
});

describe('accounts repository', () => {
  it('keeps separate diaries and deletes one account without touching the other', async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    await rememberAccount(db, { accountId: 'b', displayName: 'B', imageUrl: null }, 2, {
      makeCurrent: true,
    });
    expect(await currentAccountId(db)).toBe('b');
    await addPlays(db, [play('a', 1), play('b', 1)]);
    await addSnapshots(db, [
      { id: 's', accountId: 'a', takenAt: 1, range: 'short_term', trackIds: ['t1'] },
    ]);
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
    await rememberAccount(db, { accountId: 'b', displayName: 'B', imageUrl: null }, 3, {
      makeCurrent: true,
    });
    expect(await currentAccountId(db)).toBe('b');
  });
  it('keeps the first connection time on reconnect and refuses to switch to an unknown account', async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    const again = await rememberAccount(
      db,
      { accountId: 'a', displayName: 'A2', imageUrl: null },
      99,
    );
    expect(again).toMatchObject({ connectedAt: 1, displayName: 'A2' });
    await expect(switchAccount(db, 'zzz')).rejects.toThrow();
    await deleteAccountData(db, 'a');
    expect(await currentAccountId(db)).toBeNull();
  });
});

describe('deleting a diary and the device sync', () => {
  it("forgets that account's sync cursor and keys, and no other's (issue 13)", async () => {
    const db = freshDb();
    await rememberAccount(db, { accountId: 'a', displayName: 'A', imageUrl: null }, 1);
    const state = (accountId: string) =>
      ({
        accountId,
        keys: {},
        cursor: 7,
        marks: {},
        settings: null,
        since: 1,
        last: null,
      }) as never;
    await saveSyncState(db, state('a'));
    await saveSyncState(db, state('b'));
    await deleteAccountData(db, 'a');
    expect(await loadSyncState(db, 'a')).toBeNull();
    expect((await loadSyncState(db, 'b'))?.cursor).toBe(7);
  });
});

describe('settings', () => {
  it('defaults to a weekly cadence and the device time zone, and rejects an unknown cadence or zone', async () => {
    const db = freshDb();
    expect(await loadSettings(db, 'a')).toEqual(DEFAULT_SETTINGS);
    await saveSettings(db, 'a', { cadence: 'monthly' }, 1);
    expect((await loadSettings(db, 'a')).cadence).toBe('monthly');
    expect((await loadSettings(db, 'b')).cadence).toBe('weekly');
    await expect(saveSettings(db, 'a', { cadence: 'hourly' as never }, 2)).rejects.toThrow(
      RangeError,
    );
    await expect(saveSettings(db, 'a', { timeZone: 'Mars/Olympus' }, 2)).rejects.toThrow(
      RangeError,
    );
    await saveSettings(db, 'a', { timeZone: 'Europe/Paris' }, 3);
    expect(await loadSettings(db, 'a')).toEqual({ cadence: 'monthly', timeZone: 'Europe/Paris' });
  });

  it('dates each setting when it is changed, and only the settings changed', async () => {
    const db = freshDb();
    expect((await loadStampedSettings(db, 'a')).updatedAt).toEqual({ cadence: 0, timeZone: 0 });
    await saveSettings(db, 'a', { cadence: 'monthly' }, 100);
    await saveSettings(db, 'a', { timeZone: 'Europe/Paris' }, 200);
    expect(await loadStampedSettings(db, 'a')).toEqual({
      settings: { cadence: 'monthly', timeZone: 'Europe/Paris' },
      updatedAt: { cadence: 100, timeZone: 200 },
    });
    // a stored time that is not one (a hand-edited backup) reads as not known
    await writeMeta(db, accountKey('b', 'settings'), {
      cadence: 'daily',
      timeZone: null,
      updatedAt: { cadence: 'soon', timeZone: -4 },
    });
    expect((await loadStampedSettings(db, 'b')).updatedAt).toEqual({ cadence: 0, timeZone: 0 });
  });

  it("merge another device's settings one by one, the later change winning", async () => {
    const db = freshDb();
    await saveSettings(db, 'a', { cadence: 'monthly', timeZone: 'Europe/Paris' }, 100);
    const sent = (cadence: 'daily', timeZone: string, at: [number, number]): StampedSettings => ({
      settings: { cadence, timeZone },
      updatedAt: { cadence: at[0], timeZone: at[1] },
    });
    await mergeReceivedSettings(db, 'a', sent('daily', 'Asia/Tokyo', [50, 150]));
    expect(await loadStampedSettings(db, 'a')).toEqual({
      settings: { cadence: 'monthly', timeZone: 'Asia/Tokyo' },
      updatedAt: { cadence: 100, timeZone: 150 },
    });
    // a zone this browser does not know: the device keeps its own, and takes the cadence
    await mergeReceivedSettings(db, 'a', sent('daily', 'Mars/Olympus', [300, 300]));
    expect(await loadStampedSettings(db, 'a')).toEqual({
      settings: { cadence: 'daily', timeZone: 'Asia/Tokyo' },
      updatedAt: { cadence: 300, timeZone: 150 },
    });
  });

  it('newestSettings is the same whichever side holds which (ties included)', () => {
    const side = fc.record({
      settings: fc.record({
        cadence: fc.constantFrom('daily' as const, 'weekly' as const, 'monthly' as const),
        timeZone: fc.constantFrom(null, 'UTC', 'Europe/Paris'),
      }),
      updatedAt: fc.record({ cadence: fc.nat(3), timeZone: fc.nat(3) }),
    });
    fc.assert(
      fc.property(side, side, side, (x, y, z) => {
        expect(newestSettings(x, y)).toEqual(newestSettings(y, x));
        expect(newestSettings(newestSettings(x, y), z)).toEqual(
          newestSettings(x, newestSettings(y, z)),
        );
        expect(newestSettings(x, x)).toEqual(x);
      }),
    );
  });
});
