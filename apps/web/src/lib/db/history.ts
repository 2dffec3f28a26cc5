// One account's history as core takes it: its snapshots and plays (all of
// them, or those of a window), the tracks they mention, and on request their
// audio features, with the time zone the account's months are cut in. Every
// page's data (diary timeline and months, gems, moods, evolution) is read
// through here.
import type { AudioFeatures, Play, Snapshot, Track } from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { playsBetween } from './plays';
import { snapshotsBetween } from './snapshots';
import { getTracks } from './tracks';
import { getFeatures } from './features';
import { effectiveTimeZone, loadSettings } from './settings';

export interface History {
  accountId: string;
  /** The IANA zone the account's months are cut in. */
  zone: string;
  /** Oldest first. */
  snapshots: Snapshot[];
  /** Oldest first. */
  plays: Play[];
  /** Every track a snapshot or a play mentions that the device knows (unless not asked for). */
  tracks: Map<string, Track>;
  /** Only when asked for: audio features of those tracks. */
  features: Map<string, AudioFeatures>;
}

/** The ids a history mentions: snapshots' ranks, then plays'. */
export function mentionedTrackIds(
  snapshots: readonly Snapshot[],
  plays: readonly Play[],
): Set<string> {
  const ids = new Set<string>();
  for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
  for (const p of plays) ids.add(p.trackId);
  return ids;
}

export interface HistoryOptions {
  /** Only snapshots taken and plays ended in [from, to); default: all. */
  from?: number;
  to?: number;
  /** Read the tracks mentioned (default true): a count over plays needs none. */
  tracks?: boolean;
  /** Read their audio features too (default false). */
  features?: boolean;
}

export async function loadHistory(
  db: TimeMachineDb,
  accountId: string,
  opts: HistoryOptions = {},
): Promise<History> {
  const from = opts.from ?? -Infinity;
  const to = opts.to ?? Infinity;
  const [snapshots, plays, settings] = await Promise.all([
    snapshotsBetween(db, accountId, from, to),
    playsBetween(db, accountId, from, to),
    loadSettings(db, accountId),
  ]);
  const ids = opts.tracks === false && !opts.features ? [] : mentionedTrackIds(snapshots, plays);
  const [tracks, features] = await Promise.all([
    opts.tracks === false ? new Map<string, Track>() : getTracks(db, ids),
    opts.features ? getFeatures(db, ids) : new Map<string, AudioFeatures>(),
  ]);
  return { accountId, zone: effectiveTimeZone(settings), snapshots, plays, tracks, features };
}
