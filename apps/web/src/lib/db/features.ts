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
