// A push that arrives unfinished in a backup file waits for the person.
//
// A backup is a file anyone can hand over, and its outbox rows name a
// playlist, its tracks and, part way through, a playlist id to add them to. If
// such a row ran by itself on the next open, opening a file would be enough to
// make this device write to Spotify on the person's behalf. So a restored row
// that is not done lands `failed` with this code and no retryAt: isDue
// (outbox-entry.ts) never picks up a failed row whose code is not a waiting
// one, and the outbox runner arms no timer for it. Retry (retryNow) is the one
// way out; it resumes from resumeState, and because createAttempted stays true
// the pass looks for the playlist's marker before creating one, so a push that
// the other device finished after the file was made is found, not doubled.
import type { OutboxRow } from '../db/schema';
import type { AppErrorCode } from '../ui/error-words';

/** lastError.code of a restored push that waits for Retry. */
export const RESTORED_FROM_BACKUP = 'RESTORED_FROM_BACKUP' satisfies AppErrorCode;

/** The row as this device stores it: a done push as it is, any other one paused until Retry. */
export function pauseRestoredPush(e: OutboxRow): OutboxRow {
  if (e.state === 'done') return e;
  return {
    ...e,
    state: 'failed',
    // the other device may have sent createPlaylist already (outbox.ts header)
    createAttempted: true,
    lastError: {
      code: RESTORED_FROM_BACKUP,
      message: 'Restored from a backup; waits for Retry.',
      retryAt: null,
    },
  };
}
