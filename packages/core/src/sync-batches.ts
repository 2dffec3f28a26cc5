// How a diary travels between devices (issue 13): plays in batches of one
// account and one UTC month, so ten years are ~120 records per account, not
// 300,000. Facts are append-only, so merging is a union: a device adds what a
// batch brings through mergePlays (the same listen is never counted twice; the
// better row of a listen wins) and never deletes because of one.
//
// The relay keeps one copy per batch and the last writer replaces it, so two
// devices writing one batch at once may hide each other's plays for a moment.
// What makes every device converge anyway: a device uploads a batch only when
// it holds a play the relay's copy (as last seen) lacks, and then uploads the
// union of both, so the relay's copy only grows and a device that lost a race
// writes again after its next download. A device that dropped a row as the
// same listen as a better one in another month (a listen ending at midnight
// UTC) holds no play the relay lacks, so it does not write back: no ping-pong.
import { mergePlays, playKey } from './history-import-merge.js';
import type { Play } from './types.js';

/** The batch a play travels in: its account and the UTC month it ended in. */
export function playBatchKey(p: Pick<Play, 'accountId' | 'playedAt'>): string {
  const d = new Date(p.playedAt);
  const month = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  return `plays/${p.accountId}/${month}`;
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

/**
 * What a received batch changes on a device holding `held` (the plays around
 * the batch's month): mergePlays' answer, which the device applies through its
 * one play writer. A batch received twice, or out of order, changes nothing
 * the second time.
 */
export function receiveBatch(
  held: readonly Play[],
  received: readonly Play[],
): { add: Play[]; remove: Play[] } {
  const { add, remove } = mergePlays(held, received);
  return { add, remove };
}
