// What the sync's recently-played step stores: the plays it captured and the
// cursor (the newest play's end time) it asks Spotify "after" next time, in
// one transaction, so an interrupted sync never moves the cursor past plays it
// did not keep (they would be lost: recently-played holds only the last 50).
// The same transaction keeps the gap the answer revealed, if any, and the
// moment of the capture (issue 14: db/capture.ts): the gap is known exactly
// when the plays after it are.
import type { Play, TimeSpan, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';
import { PlayWriter } from './play-writer';
import { addCaptureGap, lastCapture, noteCapture, type LastCapture } from './capture';

export const RECENT_CURSOR = 'recentCursor';

/** The end time of the newest captured play, or 0 before the first capture. */
export async function recentCursor(db: TimeMachineDb, accountId: string): Promise<number> {
  return (await readMeta<number>(db, accountKey(accountId, RECENT_CURSOR))) ?? 0;
}

/**
 * Stores captured plays (through the one play writer), moves the cursor,
 * keeps the gap before them and notes the capture. Returns plays added.
 * Called for every capture that reached Spotify, with no plays too.
 */
export async function saveRecentPlays(
  db: TimeMachineDb,
  accountId: string,
  capture: {
    plays: readonly Play[];
    tracks: readonly Track[];
    cursor: number;
    gap?: TimeSpan | null;
    via?: LastCapture['via'];
  },
  now: () => number,
): Promise<number> {
  return db.transaction('rw', db.tracks, db.playDays, db.meta, async () => {
    const previous = await lastCapture(db, accountId);
    await noteCapture(db, accountId, { at: now(), via: capture.via ?? 'page' });
    if (capture.plays.length === 0) return 0;
    // The worker's background capture and a page's may overlap (issue 14):
    // the one that commits second must neither move the cursor back (the
    // next capture would re-ask, and find a false gap) nor keep a gap over
    // plays the other one stored meanwhile.
    const stored = await recentCursor(db, accountId);
    const gap =
      capture.gap && stored < capture.gap.to
        ? { from: Math.max(stored, capture.gap.from), to: capture.gap.to }
        : null;
    if (gap) await addCaptureGap(db, accountId, gap, now(), previous?.at ?? null);
    // Not a plain put: played_at carries milliseconds while the privacy
    // export's ts has seconds, so a listen already imported would otherwise
    // be stored (and counted) twice; the writer merges.
    const { added } = await new PlayWriter(db, accountId, now).write(
      capture.plays,
      capture.tracks,
      'second',
    );
    await writeMeta(db, accountKey(accountId, RECENT_CURSOR), Math.max(stored, capture.cursor));
    return added;
  });
}
