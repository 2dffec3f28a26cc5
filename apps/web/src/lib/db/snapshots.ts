import type { Snapshot, TimeRange, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { saveTracks } from './tracks';

/**
 * Stores snapshots with the tracks they list, in one transaction: a sync
 * saves all due ranges at one moment, and a diary month must never show a
 * short-term capture without its siblings, nor a rank without its track.
 */
export async function addSnapshots(
  db: TimeMachineDb,
  snapshots: readonly Snapshot[],
  tracks: readonly Track[] = [],
): Promise<void> {
  await db.transaction('rw', db.tracks, db.snapshots, async () => {
    await saveTracks(db, tracks);
    await db.snapshots.bulkPut([...snapshots]);
  });
}

/** The newest snapshot of one range, or undefined when none was taken yet. */
export async function latestSnapshot(
  db: TimeMachineDb,
  accountId: string,
  range: TimeRange,
): Promise<Snapshot | undefined> {
  return db.snapshots
    .where('[accountId+range+takenAt]')
    .between([accountId, range, -Infinity], [accountId, range, Infinity], true, true)
    .last();
}

/** Snapshots taken in [from, to), oldest first. */
export async function snapshotsBetween(
  db: TimeMachineDb,
  accountId: string,
  from: number,
  to: number,
): Promise<Snapshot[]> {
  return db.snapshots
    .where('[accountId+takenAt]')
    .between([accountId, from], [accountId, to], true, false)
    .toArray();
}

export async function allSnapshots(db: TimeMachineDb, accountId: string): Promise<Snapshot[]> {
  return snapshotsBetween(db, accountId, -Infinity, Infinity);
}

export async function countSnapshots(db: TimeMachineDb, accountId: string): Promise<number> {
  return db.snapshots
    .where('[accountId+takenAt]')
    .between([accountId, -Infinity], [accountId, Infinity], true, true)
    .count();
}
