// What the server tells the app about where Spotify is. Cached on the device
// so the app starts (and shows the diary) with no network at all.
import type { TimeMachineDb } from '../db/schema';
import { deviceKey, readMeta, writeMeta } from '../db/meta';

export interface AppConfig {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  imageOrigins: string[];
}

const KEY = deviceKey('config');

function isConfig(v: unknown): v is AppConfig {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c['demo'] === 'boolean' &&
    typeof c['apiBaseUrl'] === 'string' &&
    (c['featuresBaseUrl'] === null || typeof c['featuresBaseUrl'] === 'string') &&
    Array.isArray(c['imageOrigins'])
  );
}

/** The server's config when reachable (and cache it), else the cached one, else null. */
export async function loadConfig(
  db: TimeMachineDb,
  fetchImpl: typeof fetch = fetch,
): Promise<{ config: AppConfig | null; fresh: boolean }> {
  try {
    const res = await fetchImpl('/api/config', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    if (res.ok) {
      const body: unknown = await res.json();
      if (isConfig(body)) {
        await writeMeta(db, KEY, body);
        return { config: body, fresh: true };
      }
    }
  } catch {
    // offline or server down: fall back to the cached copy below
  }
  const cached = await readMeta<unknown>(db, KEY);
  return { config: isConfig(cached) ? cached : null, fresh: false };
}
