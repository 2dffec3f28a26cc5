// Audio features for stored tracks that lack them. Spotify answers 403 to new
// apps, so the client reads them from the ReccoBeats-compatible source; ids it
// does not know are remembered for a while so every sync does not ask again.
import { isSpotifyTrackId } from '@mtm/core';
import { SpotifyError } from '@mtm/spotify-client';
import type { TimeMachineDb } from '../db/schema';
import { featureMisses, lackingFeatures, recordFeatureAnswer } from '../db/features';
import { playedTrackIds } from '../db/plays';
import { allSnapshots } from '../db/snapshots';
import { withPauses, type SyncDeps } from './sync-deps';

export const FEATURE_BATCH = 40;
/** Ask the source again about an id it did not know after this long. */
export const UNKNOWN_RETRY_MS = 30 * 86_400_000;

export interface FeatureFetchResult {
  fetched: number;
  /** Asked-for tracks that still have no features afterwards. */
  missing: number;
  unavailable: boolean;
}

/**
 * Every Spotify track id the account's snapshots and plays mention, newest
 * snapshots first (their tracks are the ones on screen). Plays give only their
 * id column: after a 10-year import that is 300,000 plays, and making a Play
 * object of each just for its id would be wasted.
 */
export async function knownTrackIds(db: TimeMachineDb, accountId: string): Promise<string[]> {
  const ids = new Set<string>();
  const snapshots = await allSnapshots(db, accountId);
  for (let i = snapshots.length - 1; i >= 0; i--)
    for (const id of snapshots[i]!.trackIds) ids.add(id);
  for (const id of await playedTrackIds(db, accountId)) ids.add(id);
  // name keys of imported plays are not ids: no source can answer for them
  return [...ids].filter(isSpotifyTrackId);
}

export async function fetchMissingFeatures(
  deps: SyncDeps,
  trackIds: readonly string[],
  opts: { includeUnknown?: boolean; max?: number } = {},
): Promise<FeatureFetchResult> {
  const { db, client } = deps;
  const now = deps.now();
  const lacking = await lackingFeatures(db, trackIds.filter(isSpotifyTrackId));
  const misses = await featureMisses(db, lacking);
  const wanted = opts.includeUnknown
    ? lacking
    : lacking.filter((id) => !(now - (misses.get(id) ?? -Infinity) < UNKNOWN_RETRY_MS));
  const todo = wanted.slice(0, opts.max ?? Infinity);
  const skipped = lacking.length - todo.length;
  let fetched = 0;
  let stillMissing = 0;
  if (todo.length > 0) deps.onProgress?.({ step: 'features', done: 0, total: todo.length });
  for (let i = 0; i < todo.length; i += FEATURE_BATCH) {
    const batch = todo.slice(i, i + FEATURE_BATCH);
    let res;
    try {
      res = await withPauses(deps, () =>
        client.audioFeatures(batch, deps.signal ? { signal: deps.signal } : {}),
      );
    } catch (e) {
      if (e instanceof SpotifyError && e.code === 'FEATURES_UNAVAILABLE') {
        return { fetched, missing: lacking.length - fetched, unavailable: true };
      }
      throw e;
    }
    await recordFeatureAnswer(db, res.features, res.missing, now);
    fetched += res.features.size;
    stillMissing += res.missing.length;
    deps.onProgress?.({
      step: 'features',
      done: Math.min(todo.length, i + batch.length),
      total: todo.length,
    });
  }
  return { fetched, missing: stillMissing + skipped, unavailable: false };
}
