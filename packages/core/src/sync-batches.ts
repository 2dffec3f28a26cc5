// How a diary travels between devices (issue 13): plays in batches of one
// account and one UTC week (Monday to Sunday), so ten years are ~520 records
// per account, not 300,000, and a day of listening changes one small record:
// the current week's, a week of plays at most, whatever day of the month it
// is. (Month batches, the first layout, made a day's sync cost up to a whole
// month of plays: 20 KB sealed by mid-month for a heavy listener. A device
// still reads records named by month, see isMonthBatchKey.) Facts are
// append-only, so merging is a union: a device adds what a batch brings
// through mergePlays (the same listen is never counted twice; the better row
// of a listen wins) and never deletes because of one.
//
// The relay keeps one copy per batch and the last writer replaces it, so two
// devices writing one batch at once may hide each other's plays for a moment.
// What makes every device converge anyway: a device uploads a batch only when
// it holds a play the relay's copy (as last seen) lacks, and then uploads the
// union of both, so the relay's copy only grows and a device that lost a race
// writes again after its next download. A device that dropped a row as the
// same listen as a better one in another week (a listen ending at midnight
// UTC on a Sunday) holds no play the relay lacks, so it does not write back:
// no ping-pong.
//
// A stored play carries no precision, so an export play to the second that
// ends exactly on a minute reads as account data (history-import-merge.ts)
// and would swallow another listen of the song up to 80 s later. A device
// that holds both listens knows better and says so with the batch
// (exactPlays); a receiver merges with that word and its own (receiveBatch).
// The word travels with the whole-minute play's own batch only: when the
// other listen ended in the next or previous batch (a minute or so from
// midnight between a Sunday and a Monday, UTC) and a device receives the
// word's batch before the other, it still reads the play as account data
// when the other arrives.
import { SAME_LISTEN_TOLERANCE_MS, exactKey, mergePlays, playKey } from './history-import-merge.js';
import type { Play } from './types.js';

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The batch a play travels in: its account and the UTC week it ended in,
 * named by that week's Monday (`plays/<account>/2024-06-10`).
 */
export function playBatchKey(p: Pick<Play, 'accountId' | 'playedAt'>): string {
  const day = Math.floor(p.playedAt / DAY_MS);
  // 1970-01-01 was a Thursday: days since a Monday are (day + 3) mod 7
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  return `plays/${p.accountId}/${iso(monday * DAY_MS)}`;
}

/** The first layout's batch: the account and the UTC month (`plays/<account>/2024-06`). */
export function monthBatchKey(p: Pick<Play, 'accountId' | 'playedAt'>): string {
  return `plays/${p.accountId}/${iso(p.playedAt).slice(0, 7)}`;
}

/**
 * The batch rule a batch name was made by: records of the first layout
 * (month names) are still read, and their plays checked against their month.
 */
export function batchKeyFor(name: string): (p: Pick<Play, 'accountId' | 'playedAt'>) => string {
  return /\/\d{4}-\d{2}$/.test(name) ? monthBatchKey : playBatchKey;
}

/** Plays in canonical order (end time, then track): equal sets encode equally. */
export function canonicalPlays(plays: Iterable<Play>): Play[] {
  return [...plays].sort(
    (a, b) =>
      a.playedAt - b.playedAt || (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0),
  );
}

/** A device's plays grouped into batches, each in canonical order. */
export function batchPlays(plays: Iterable<Play>): Map<string, Play[]> {
  const out = new Map<string, Play[]>();
  for (const p of plays) {
    const key = playBatchKey(p);
    const list = out.get(key);
    if (list) list.push(p);
    else out.set(key, [p]);
  }
  for (const [key, list] of out) out.set(key, canonicalPlays(list));
  return out;
}

/**
 * What a device writes for one batch, or null when the relay's copy (as last
 * seen; empty when never seen) already holds every play the device has: then
 * writing would only churn.
 */
export function batchToUpload(
  local: readonly Play[],
  relay: readonly Play[] | undefined,
): Play[] | null {
  const seen = new Set((relay ?? []).map(playKey));
  if (local.every((p) => seen.has(playKey(p)))) return null;
  const union = new Map<string, Play>();
  for (const p of relay ?? []) union.set(playKey(p), p);
  for (const p of local) union.set(playKey(p), p);
  return canonicalPlays(union.values());
}

const MINUTE_MS = 60_000;

/**
 * Export plays ending exactly on a minute, held beside an export play of the
 * same track that is surely to the second (it does not end on a minute)
 * within the window where mergePlays would have taken the two for one listen
 * (the minute's end time - 20 s to + 80 s): had the first been account data,
 * the merge would have kept one row, so both are listens to the second. By
 * exactKey. Two rows that both end on a minute prove nothing (account data
 * keeps one row per song and minute, and never merges two of them), so they
 * are left as they read.
 */
export function exactPlays(plays: Iterable<Play>): Set<string> {
  const byTrack = new Map<string, number[]>();
  for (const p of plays) {
    if (p.source !== 'export') continue;
    const id = `${p.accountId}\u0000${p.trackId}`;
    const list = byTrack.get(id);
    if (list) list.push(p.playedAt);
    else byTrack.set(id, [p.playedAt]);
  }
  const out = new Set<string>();
  for (const [id, times] of byTrack) {
    if (times.length < 2) continue;
    const trackId = id.slice(id.indexOf('\u0000') + 1);
    times.sort((a, b) => a - b);
    let from = 0;
    for (const t of times) {
      if (t % MINUTE_MS !== 0) continue;
      while (times[from]! < t - SAME_LISTEN_TOLERANCE_MS) from++;
      for (let j = from; j < times.length; j++) {
        const n = times[j]!;
        if (n > t + MINUTE_MS + SAME_LISTEN_TOLERANCE_MS) break;
        if (n % MINUTE_MS !== 0) {
          out.add(exactKey({ playedAt: t, trackId }));
          break;
        }
      }
    }
  }
  return out;
}

/**
 * What a received batch changes on a device holding `held` (the plays around
 * the batch's month): mergePlays' answer, which the device applies through its
 * one play writer. `exact` is the sender's word on its plays (exactPlays);
 * the device adds its own on the plays it holds. A batch received twice, or
 * out of order, changes nothing the second time.
 */
export function receiveBatch(
  held: readonly Play[],
  received: readonly Play[],
  exact: ReadonlySet<string> = new Set(),
): { add: Play[]; remove: Play[] } {
  const known = exactPlays(held);
  for (const key of exact) known.add(key);
  const { add, remove } = mergePlays(held, received, { exact: known });
  return { add, remove };
}
