import type { AudioFeatures } from '@mtm/core';
import type { TimeMachineDb } from './schema';

export async function saveFeatures(
  db: TimeMachineDb,
  features: Iterable<AudioFeatures>,
): Promise<void> {
  await db.features.bulkPut([...features]);
}

export async function getFeatures(
  db: TimeMachineDb,
  trackIds: Iterable<string>,
): Promise<Map<string, AudioFeatures>> {
  const ids = [...new Set(trackIds)];
  const rows = await db.features.bulkGet(ids);
  const out = new Map<string, AudioFeatures>();
  for (const row of rows) if (row) out.set(row.trackId, row);
  return out;
}

/** Of these ids, the ones with no stored features, in their given order. */
export async function lackingFeatures(
  db: TimeMachineDb,
  trackIds: Iterable<string>,
): Promise<string[]> {
  const ids = [...new Set(trackIds)];
  const rows = await db.features.bulkGet(ids);
  return ids.filter((_, i) => !rows[i]);
}

/**
 * When the mood-data source was last asked about each of these ids and did
 * not know them (ids it never missed are absent).
 */
export async function featureMisses(
  db: TimeMachineDb,
  trackIds: readonly string[],
): Promise<Map<string, number>> {
  const rows = await db.featureMisses.bulkGet([...trackIds]);
  const out = new Map<string, number>();
  for (const row of rows) if (row) out.set(row.trackId, row.askedAt);
  return out;
}

/**
 * One answer of the source, stored together: the features it had, and the
 * ids it did not know (asked again after a while, see sync/features.ts). An
 * id it now knows is no longer a miss.
 */
export async function recordFeatureAnswer(
  db: TimeMachineDb,
  found: ReadonlyMap<string, AudioFeatures>,
  missing: readonly string[],
  askedAt: number,
): Promise<void> {
  await db.transaction('rw', db.features, db.featureMisses, async () => {
    await saveFeatures(db, found.values());
    await db.featureMisses.bulkPut(missing.map((trackId) => ({ trackId, askedAt })));
    await db.featureMisses.bulkDelete([...found.keys()]);
  });
}
