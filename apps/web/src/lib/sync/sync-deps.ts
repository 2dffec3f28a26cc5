// What a sync needs from the outside world, injected so tests drive it with
// a fake client, fake-indexeddb and a fake clock.
import { SpotifyError, type SpotifyClient } from '@mtm/spotify-client';
import type { TimeMachineDb } from '../db/schema';

export type SyncClient = Pick<
  SpotifyClient,
  'me' | 'topTracksUpTo' | 'recentlyPlayed' | 'audioFeatures'
>;

export type SyncProgress =
  | { step: 'account' }
  | { step: 'snapshots'; done: number; total: number }
  | { step: 'recent' }
  | { step: 'features'; done: number; total: number }
  | { step: 'paused'; until: number };

export interface SyncDeps {
  db: TimeMachineDb;
  client: SyncClient;
  now: () => number;
  /** Waits out a long rate limit; must reject when `signal` aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onProgress?: (p: SyncProgress) => void;
  signal?: AbortSignal;
  /** How many long rate-limit pauses one sync accepts before giving up. */
  maxPauses?: number;
}

/**
 * Runs `step`; when Spotify asks for a pause longer than the client waits by
 * itself (RATE_LIMITED with retryAt), reports "paused until" and tries again.
 */
export async function withPauses<T>(deps: SyncDeps, step: () => Promise<T>): Promise<T> {
  const maxPauses = deps.maxPauses ?? 3;
  for (let pauses = 0; ; pauses++) {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof SpotifyError) || e.code !== 'RATE_LIMITED' || pauses >= maxPauses) throw e;
      const until = e.retryAt ?? deps.now() + (e.retryAfterMs ?? 30_000);
      deps.onProgress?.({ step: 'paused', until });
      await deps.sleep(Math.max(0, until - deps.now()), deps.signal);
    }
  }
}
