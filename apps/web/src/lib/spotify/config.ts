// What the server tells the app about where Spotify is. Cached on the device
// so the app starts (and shows the diary) with no network at all.
import type { TimeMachineDb } from '../db/schema';
import { deviceKey, readMeta, writeMeta } from '../db/meta';

export interface AppConfig {
  demo: boolean;
  apiBaseUrl: string;
  featuresBaseUrl: string | null;
  /** Ask Spotify's own /audio-features first: only apps with extended quota get data there. */
  spotifyAudioFeatures: boolean;
  imageOrigins: string[];
}

const KEY = deviceKey('config');

/**
 * The config, or null when malformed. `spotifyAudioFeatures` may be absent:
 * servers before issue 12 did not send it, and their answer is still the
 * cached one on a device that starts offline. Absent means false, the answer
 * for every development-mode app (Spotify's 403 is then never asked for).
 */
function toConfig(v: unknown): AppConfig | null {
  if (typeof v !== 'object' || v === null) return null;
  const c = v as Record<string, unknown>;
  const spotifyAudioFeatures = c['spotifyAudioFeatures'] ?? false;
  if (
    typeof c['demo'] !== 'boolean' ||
    typeof c['apiBaseUrl'] !== 'string' ||
    (c['featuresBaseUrl'] !== null && typeof c['featuresBaseUrl'] !== 'string') ||
    typeof spotifyAudioFeatures !== 'boolean' ||
    !Array.isArray(c['imageOrigins'])
  )
    return null;
  return {
    demo: c['demo'],
    apiBaseUrl: c['apiBaseUrl'],
    featuresBaseUrl: c['featuresBaseUrl'] as string | null,
    spotifyAudioFeatures,
    imageOrigins: c['imageOrigins'] as string[],
  };
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
      const config = toConfig(await res.json());
      if (config) {
        await writeMeta(db, KEY, config);
        return { config, fresh: true };
      }
    }
  } catch {
    // offline or server down: fall back to the cached copy below
  }
  return { config: toConfig(await readMeta<unknown>(db, KEY)), fresh: false };
}
