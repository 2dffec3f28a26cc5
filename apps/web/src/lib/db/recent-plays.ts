// What the sync's recently-played step stores: the plays it captured and the
// cursor (the newest play's end time) it asks Spotify "after" next time, in
// one transaction, so an interrupted sync never moves the cursor past plays it
// did not keep (they would be lost: recently-played holds only the last 50).
import type { Play, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';
import { PlayWriter } from './play-writer';

export const RECENT_CURSOR = 'recentCursor';

/** The end time of the newest captured play, or 0 before the first capture. */
export async function recentCursor(db: TimeMachineDb, accountId: string): Promise<number> {
  return (await readMeta<number>(db, accountKey(accountId, RECENT_CURSOR))) ?? 0;
}

/** Stores captured plays (through the one play writer) and moves the cursor. Returns plays added. */
export async function saveRecentPlays(
  db: TimeMachineDb,
  accountId: string,
  capture: { plays: readonly Play[]; tracks: readonly Track[]; cursor: number },
  now: () => number,
): Promise<number> {
  return db.transaction('rw', db.tracks, db.playDays, db.meta, async () => {
    // Not a plain put: played_at carries milliseconds while the privacy
    // export's ts has seconds, so a listen already imported would otherwise
    // be stored (and counted) twice; the writer merges.
    const { added } = await new PlayWriter(db, accountId, now).write(
      capture.plays,
      capture.tracks,
      'second',
    );
    await writeMeta(db, accountKey(accountId, RECENT_CURSOR), capture.cursor);
    return added;
  });
}
