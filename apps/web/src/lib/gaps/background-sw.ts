// The service worker's periodic capture (issue 14), bundled on its own into
// /background-capture-sw.js (vite.sw.config.ts) and pulled into the
// generated worker with importScripts (vite.config.ts), like the share
// target. It is the page's sync, not a copy of it: runSync (sync-engine.ts)
// with the same client, the same server token provider (the refresh token
// stays in the server's HttpOnly cookie; the worker, like a page, only ever
// holds a short-lived access token) and the same lib/db writes, so plays go
// through the one PlayWriter, an auth problem deletes nothing, and the gap
// rule holds. Differences, all on purpose: no audio features (a wake-up is
// short and the page fetches them next time), and no waiting out a rate
// limit: the next wake-up tries again.
import { createSpotifyClient, defaultSleep } from '@mtm/spotify-client';
import { TimeMachineDb } from '../db/schema';
import { loadConfig } from '../spotify/config';
import { createServerTokenProvider } from '../spotify/token-provider';
import { runSync, type SyncResult } from '../sync/sync-engine';
import { CAPTURE_CHANNEL, CAPTURE_TAG } from './background-capture';

interface PeriodicSyncEvent extends Event {
  tag: string;
  waitUntil(p: Promise<unknown>): void;
}

/** One background capture; resolves (never rejects) once it is stored or given up. */
export async function captureInBackground(
  fetchWith?: typeof fetch,
  db: TimeMachineDb = new TimeMachineDb(),
): Promise<SyncResult | null> {
  // late-bound, and never called as a method of an options object (a
  // browser's fetch throws "Illegal invocation" then)
  const fetchImpl: typeof fetch = (input, init) => (fetchWith ?? globalThis.fetch)(input, init);
  try {
    const { config } = await loadConfig(db, fetchImpl);
    if (!config) return null;
    const client = createSpotifyClient({
      apiBaseUrl: config.apiBaseUrl,
      featuresBaseUrl: config.featuresBaseUrl,
      spotifyAudioFeatures: config.spotifyAudioFeatures,
      tokenProvider: createServerTokenProvider({ fetch: fetchImpl }),
      fetch: fetchImpl,
    });
    return await runSync(
      { db, client, now: () => Date.now(), sleep: defaultSleep, maxPauses: 0 },
      { background: true },
    );
  } catch {
    // not connected, expired, offline, rate limited: nothing was deleted and
    // nothing half-written (every step is one transaction); the next wake-up
    // or the next open tries again, and Settings shows the last capture
    return null;
  } finally {
    db.close();
  }
}

// Inside the service worker only (tests import the function above)
const scope = globalThis as unknown as {
  registration?: unknown;
  addEventListener?: (type: string, listener: (e: Event) => void) => void;
};
if (scope.registration !== undefined && scope.addEventListener) {
  scope.addEventListener('periodicsync', (e) => {
    const event = e as PeriodicSyncEvent;
    if (event.tag !== CAPTURE_TAG) return;
    event.waitUntil(
      captureInBackground().then((r) => {
        if (r) new BroadcastChannel(CAPTURE_CHANNEL).postMessage({ newPlays: r.newPlays });
      }),
    );
  });
}
