// Audio features for stored tracks that lack them. Spotify answers 403 to new
// apps, so the client reads them from the ReccoBeats-compatible source; ids it
// does not know are remembered for a while so every sync does not ask again.
import { SpotifyError } from '@mtm/spotify-client';
import type { TimeMachineDb } from '../db/schema';
import { deviceKey, readMeta, writeMeta } from '../db/meta';
import { lackingFeatures, saveFeatures } from '../db/features';
import { allSnapshots } from '../db/snapshots';
import { allPlays } from '../db/plays';
import { withPauses, type SyncDeps } from './sync-deps';

export const FEATURE_BATCH = 40;
/** Ask the source again about an id it did not know after this long. */
export const UNKNOWN_RETRY_MS = 30 * 86_400_000;
const UNKNOWN_KEY = deviceKey('featuresUnknown');

// Spotify ids are 22 base-62 characters; name keys of imported plays are not
// ids and no source can answer for them.
const SPOTIFY_ID = /^[0-9A-Za-z]{22}$/;

export interface FeatureFetchResult {
  fetched: number;
  /** Asked-for tracks that still have no features afterwards. */
  missing: number;
  unavailable: boolean;
}

/** Every Spotify track id the account's snapshots and plays mention. */
export async function knownTrackIds(db: TimeMachineDb, accountId: string): Promise<string[]> {
  const ids = new Set<string>();
  for (const s of await allSnapshots(db, accountId)) for (const id of s.trackIds) ids.add(id);
  for (const p of await allPlays(db, accountId)) ids.add(p.trackId);
  return [...ids].filter((id) => SPOTIFY_ID.test(id));
}

export async function fetchMissingFeatures(
  deps: SyncDeps,
  trackIds: readonly string[],
  opts: { includeUnknown?: boolean } = {},
): Promise<FeatureFetchResult> {
  const { db, client } = deps;
  const now = deps.now();
  const unknown = (await readMeta<Record<string, number>>(db, UNKNOWN_KEY)) ?? {};
  const lacking = await lackingFeatures(db, trackIds.filter((id) => SPOTIFY_ID.test(id)));
  const todo = opts.includeUnknown ? lacking : lacking.filter((id) => !(now - (unknown[id] ?? -Infinity) < UNKNOWN_RETRY_MS));
  const skipped = lacking.length - todo.length;
  let fetched = 0;
  let stillMissing = 0;
  if (todo.length > 0) deps.onProgress?.({ step: 'features', done: 0, total: todo.length });
  for (let i = 0; i < todo.length; i += FEATURE_BATCH) {
    const batch = todo.slice(i, i + FEATURE_BATCH);
    let res;
    try {
      res = await withPauses(deps, () => client.audioFeatures(batch, deps.signal ? { signal: deps.signal } : {}));
    } catch (e) {
      if (e instanceof SpotifyError && e.code === 'FEATURES_UNAVAILABLE') {
        return { fetched, missing: lacking.length - fetched, unavailable: true };
      }
      throw e;
    }
    await db.transaction('rw', db.features, db.meta, async () => {
      await saveFeatures(db, res.features.values());
      const marks = (await readMeta<Record<string, number>>(db, UNKNOWN_KEY)) ?? {};
      for (const id of res.missing) marks[id] = now;
      for (const id of res.features.keys()) delete marks[id];
      await writeMeta(db, UNKNOWN_KEY, marks);
    });
    fetched += res.features.size;
    stillMissing += res.missing.length;
    deps.onProgress?.({ step: 'features', done: Math.min(todo.length, i + batch.length), total: todo.length });
  }
  return { fetched, missing: stillMissing + skipped, unavailable: false };
}
