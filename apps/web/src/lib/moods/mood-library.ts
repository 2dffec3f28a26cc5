// Everything the mood page scores: every track the account's whole history
// mentions (snapshots and plays, not only today's top 50), in "most loved
// first" order so ties between equal scores favour the songs the person
// actually cared about, and an account of the tracks that cannot be scored yet.
import {
  RANGE_WEIGHT,
  STREAM_THRESHOLD_MS,
  rankWeight,
  type FeatureVector,
  type Play,
  type Snapshot,
  type Track,
} from '@mtm/core';
import type { TimeMachineDb } from '$lib/db/schema';
import { allSnapshots } from '$lib/db/snapshots';
import { allPlays } from '$lib/db/plays';
import { getFeatures } from '$lib/db/features';
import { getTracks } from '$lib/db/tracks';

// Spotify ids are 22 base-62 characters; anything else is the name key of an
// imported play with no Spotify link, for which no source has features.
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

/** Love per track: one per counted stream, plus each top-list appearance weighted by rank and range. */
export function loveOrder(snapshots: readonly Snapshot[], plays: readonly Play[]): string[] {
  const love = new Map<string, number>();
  const add = (id: string, w: number) => love.set(id, (love.get(id) ?? 0) + w);
  for (const s of snapshots)
    s.trackIds.forEach((id, i) => add(id, rankWeight(i + 1) * RANGE_WEIGHT[s.range]));
  for (const p of plays) add(p.trackId, p.msPlayed >= STREAM_THRESHOLD_MS ? 1 : 0);
  return [...love.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
}

export interface MissingFeatures {
  /** Spotify tracks no source has been asked about yet. */
  notFetched: string[];
  /** Asked, and the source did not know them (asked again after a while). */
  unknownToSource: string[];
  /** Imported songs without a Spotify link: nothing can be fetched for them. */
  noLink: number;
}

export interface MoodLibrary {
  tracks: Track[];
  features: Map<string, FeatureVector>;
  missing: MissingFeatures;
}

export function splitMissing(
  ids: readonly string[],
  features: ReadonlyMap<string, unknown>,
  unknownMarks: Readonly<Record<string, number>>,
): MissingFeatures {
  const out: MissingFeatures = { notFetched: [], unknownToSource: [], noLink: 0 };
  for (const id of ids) {
    if (features.has(id)) continue;
    if (!SPOTIFY_ID.test(id)) out.noLink++;
    else if (unknownMarks[id] !== undefined) out.unknownToSource.push(id);
    else out.notFetched.push(id);
  }
  return out;
}

export async function loadMoodLibrary(db: TimeMachineDb, accountId: string): Promise<MoodLibrary> {
  const [snapshots, plays] = await Promise.all([
    allSnapshots(db, accountId),
    allPlays(db, accountId),
  ]);
  const ids = loveOrder(snapshots, plays);
  // The sync's features step records the source's misses in the
  // featureMisses table (schema version 2), not in a meta row any more.
  const [trackMap, featureMap, misses] = await Promise.all([
    getTracks(db, ids),
    getFeatures(db, ids),
    db.featureMisses.bulkGet(ids),
  ]);
  const unknown: Record<string, number> = {};
  for (const m of misses) if (m) unknown[m.trackId] = m.askedAt;
  const tracks: Track[] = [];
  for (const id of ids) {
    const t = trackMap.get(id);
    if (t) tracks.push(t);
  }
  return { tracks, features: featureMap, missing: splitMissing(ids, featureMap, unknown) };
}
