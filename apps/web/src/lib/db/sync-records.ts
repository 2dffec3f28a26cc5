// The diary rows that travel between one person's devices (issue 13), read
// for one account, and what another device sent, merged in. lib/devices cuts
// them into records and seals them; this file only reads and writes rows.
//
// Merging is a union, like a backup's (backup-rows.ts), but the other side is
// one of the person's own devices, not a file: plays go through the one play
// writer, which keeps the better row of a listen whoever sent it; a received
// snapshot is added when missing; a track fills only what this device lacks
// (the tracks table is shared by every diary on the device, and a name from
// Spotify here is as good as one there); audio features keep the newer fetch;
// settings merge one by one, the later change winning (settings.ts).
// Each received record is written in one transaction: applied whole or not
// at all.
import Dexie from 'dexie';
import type { AudioFeatures, Play, Snapshot, Track } from '@mtm/core';
import type { OutboxRow, TimeMachineDb } from './schema';
import { allPlays } from './plays';
import { PlayWriter } from './play-writer';
import { saveTracks } from './tracks';
import { loadStampedSettings, type StampedSettings } from './settings';

/** Everything of one account that syncs, as this device holds it. */
export interface SyncedDiary {
  plays: Play[];
  snapshots: Snapshot[];
  /** Tracks the plays and snapshots mention, by id (those the device knows). */
  tracks: Map<string, Track>;
  features: Map<string, AudioFeatures>;
  /** Finished pushes only: a pending one never leaves the device that queued it. */
  pushes: OutboxRow[];
  settings: StampedSettings;
}

export async function readSyncedDiary(db: TimeMachineDb, accountId: string): Promise<SyncedDiary> {
  return db.transaction(
    'r',
    [db.playDays, db.snapshots, db.tracks, db.features, db.outbox, db.meta],
    async () => {
      const plays = await allPlays(db, accountId);
      const snapshots = await db.snapshots
        .where('[accountId+takenAt]')
        .between([accountId, Dexie.minKey], [accountId, Dexie.maxKey], true, true)
        .toArray();
      const ids = new Set<string>();
      for (const p of plays) ids.add(p.trackId);
      for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
      const list = [...ids];
      const [tracks, features] = await Promise.all([
        db.tracks.bulkGet(list),
        db.features.bulkGet(list),
      ]);
      const pushes = (await db.outbox.where('accountId').equals(accountId).toArray()).filter(
        (e) => e.state === 'done',
      );
      return {
        plays,
        snapshots,
        tracks: new Map(tracks.filter((t) => t !== undefined).map((t) => [t.id, t])),
        features: new Map(features.filter((f) => f !== undefined).map((f) => [f.trackId, f])),
        pushes,
        settings: await loadStampedSettings(db, accountId),
      };
    },
  );
}

export interface ReceivedMonth {
  plays: Play[];
  /**
   * Export plays that end exactly on a minute and are nevertheless to the
   * second (extended history), by core's exactKey. A stored play carries no
   * precision, and core reads such a play as account data (to the minute),
   * which would merge it with another listen of the same song up to 80 s
   * later. The device that sent it held both listens, so they are two: it
   * says so here (core's exactPlays, lib/devices/records.ts).
   */
  exact?: ReadonlySet<string>;
  snapshots: Snapshot[];
  tracks: Track[];
  features: AudioFeatures[];
}

export interface MonthApplied {
  plays: number;
  snapshots: number;
}

/** Merges one month another device sent, in one transaction. */
export async function applyReceivedMonth(
  db: TimeMachineDb,
  accountId: string,
  month: ReceivedMonth,
  now: () => number,
): Promise<MonthApplied> {
  return db.transaction(
    'rw',
    [db.playDays, db.meta, db.tracks, db.snapshots, db.features],
    async () => {
      await saveTracks(db, month.tracks, 'fill');
      const writer = new PlayWriter(db, accountId, now);
      const { added: plays } = await writer.receive(month.plays, month.exact ?? new Set());

      const snapshots = month.snapshots.filter((s) => s.accountId === accountId);
      const known = await db.snapshots.bulkGet(snapshots.map((s) => s.id));
      const fresh = snapshots.filter((_, i) => !known[i]);
      await db.snapshots.bulkPut(fresh);

      const held = await db.features.bulkGet(month.features.map((f) => f.trackId));
      await db.features.bulkPut(
        month.features.filter((f, i) => !held[i] || f.fetchedAt > held[i].fetchedAt),
      );
      return { plays, snapshots: fresh.length };
    },
  );
}

/**
 * Finished pushes from another device: added when missing, and marking done
 * an entry that waits here (restored from a backup on both devices, say) so
 * it is never pushed a second time. An entry being pushed right now is left
 * to its push.
 */
export async function applyReceivedPushes(
  db: TimeMachineDb,
  accountId: string,
  entries: readonly OutboxRow[],
): Promise<number> {
  const done = entries.filter((e) => e.accountId === accountId && e.state === 'done');
  return db.transaction('rw', db.outbox, async () => {
    const held = await db.outbox.bulkGet(done.map((e) => e.id));
    const put = done.filter(
      (_, i) => !held[i] || held[i].state === 'pending' || held[i].state === 'failed',
    );
    await db.outbox.bulkPut(put);
    return put.length;
  });
}
