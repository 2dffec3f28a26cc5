// Everything the mood page scores: every track the account's whole history
// mentions (snapshots and plays, not only today's top 50), in "most loved
// first" order so ties between equal scores favour the songs the person
// actually cared about, and an account of the tracks that cannot be scored yet.
import { isSpotifyTrackId, loveOrder, type FeatureVector, type Track } from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import { featureMisses } from '../db/features';
import { loadHistory } from '../db/history';

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
  unknownMarks: ReadonlyMap<string, number>,
): MissingFeatures {
  const out: MissingFeatures = { notFetched: [], unknownToSource: [], noLink: 0 };
  for (const id of ids) {
    if (features.has(id)) continue;
    // a name key of an imported play with no Spotify link: no source has features for it
    if (!isSpotifyTrackId(id)) out.noLink++;
    else if (unknownMarks.has(id)) out.unknownToSource.push(id);
    else out.notFetched.push(id);
  }
  return out;
}

export async function loadMoodLibrary(db: TimeMachineDb, accountId: string): Promise<MoodLibrary> {
  const history = await loadHistory(db, accountId, { features: true });
  const ids = loveOrder(history.snapshots, history.plays);
  // the sync's features step records the source's misses (lib/db/features.ts)
  const misses = await featureMisses(db, ids);
  const tracks: Track[] = [];
  for (const id of ids) {
    const t = history.tracks.get(id);
    if (t) tracks.push(t);
  }
  return {
    tracks,
    features: history.features,
    missing: splitMissing(ids, history.features, misses),
  };
}
