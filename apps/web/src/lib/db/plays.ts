import type { Play } from '@mtm/core';
import Dexie from 'dexie';
import type { TimeMachineDb } from './schema';

/**
 * Adds plays; the primary key (accountId, playedAt, trackId) makes a second
 * capture of the same play overwrite the first, so re-syncs and re-imports
 * never double-count. Returns how many were new.
 */
export async function addPlays(db: TimeMachineDb, plays: readonly Play[]): Promise<number> {
  if (plays.length === 0) return 0;
  return db.transaction('rw', db.plays, async () => {
    const keys = plays.map((p) => [p.accountId, p.playedAt, p.trackId] as [string, number, string]);
    const existing = await db.plays.bulkGet(keys);
    await db.plays.bulkPut([...plays]);
    return new Set(keys.filter((_, i) => !existing[i]).map((k) => k.join('\u0000'))).size;
  });
}

/** Plays that ended in [from, to), oldest first. */
export async function playsBetween(db: TimeMachineDb, accountId: string, from: number, to: number): Promise<Play[]> {
  return db.plays
    .where('[accountId+playedAt+trackId]')
    .between([accountId, from, Dexie.minKey], [accountId, to, Dexie.minKey], true, false)
    .toArray();
}

export async function allPlays(db: TimeMachineDb, accountId: string): Promise<Play[]> {
  return playsBetween(db, accountId, -Infinity, Infinity);
}

export async function countPlays(db: TimeMachineDb, accountId: string): Promise<number> {
  return db.plays
    .where('[accountId+playedAt+trackId]')
    .between([accountId, -Infinity, Dexie.minKey], [accountId, Infinity, Dexie.maxKey], true, true)
    .count();
}

/**
 * Bumped by writers that may replace plays without changing their number (a
 * merge swaps one play for another), so caches derived from plays notice.
 */
export const PLAYS_REVISION = 'playsRevision';

/** The first and last moments with a play, without reading every row. */
export async function playBounds(db: TimeMachineDb, accountId: string): Promise<{ first: number; last: number } | null> {
  const coll = () =>
    db.plays.where('[accountId+playedAt+trackId]').between([accountId, -Infinity, Dexie.minKey], [accountId, Infinity, Dexie.maxKey], true, true);
  const first = await coll().first();
  const last = await coll().last();
  return first && last ? { first: first.playedAt, last: last.playedAt } : null;
}
