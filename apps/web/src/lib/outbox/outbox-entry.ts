// One queued push as the outbox stores it (lib/db/outbox.ts), and the rules
// that say when it may run again.
import type { OutboxRow, OutboxState } from '../db/schema';

export type OutboxEntry = OutboxRow;

/** Error codes that pause the entry until `retryAt`, then resume by themselves. */
export const WAITING_CODES: ReadonlySet<string> = new Set([
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'UPSTREAM',
  'NETWORK',
]);

/** The state to resume from after a failure: never back before what Spotify may already hold. */
export function resumeState(e: OutboxEntry): OutboxState {
  if (e.playlistId) return 'adding';
  return e.createAttempted ? 'creating' : 'pending';
}

export type DueReason =
  /** the app was opened or the account connected: also retries entries stopped by an expired connection */
  | 'open'
  /** the browser came back online */
  | 'online'
  /** a timer for a retryAt, or a new entry */
  | 'tick';

/** Whether a pass started for `reason` at `now` should work on this entry. */
export function isDue(e: OutboxEntry, now: number, reason: DueReason): boolean {
  if (e.state === 'done') return false;
  // creating/adding outside a running pass means the tab was closed mid-push
  if (e.state !== 'failed') return true;
  const err = e.lastError;
  if (!err) return true;
  // a push restored from a file waits for the person's Retry, whatever happens (backup/restored-push.ts)
  if (err.code === 'RESTORED_FROM_BACKUP') return false;
  if (err.code === 'NETWORK' && reason !== 'tick') return true;
  if (err.code === 'AUTH_EXPIRED' && reason === 'open') return true;
  return WAITING_CODES.has(err.code) && err.retryAt !== null && err.retryAt <= now;
}
