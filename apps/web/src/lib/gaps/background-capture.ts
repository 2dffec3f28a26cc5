// Background capture (issue 14): where the browser offers Periodic Background
// Sync (Chromium, for an installed app), ask it to wake the service worker
// about twice a day; the worker then runs the same capture as a page
// (background-sw.ts, built into /background-capture-sw.js). Elsewhere the
// capture runs only while the app is open, and Settings says why and how
// often to open it.

/** The periodic sync's tag; background-sw.ts listens for it. */
export const CAPTURE_TAG = 'mtm-capture';
/** Open pages hear on this channel that the worker's capture changed the diary. */
export const CAPTURE_CHANNEL = 'mtm-background-capture';
/**
 * What we ask for. The browser decides the real interval (Chromium: at least
 * 12 hours, longer for an app seldom used), and recently-played holds 50
 * plays, about half a day of a heavy listener's: asking more often is
 * pointless, less often loses plays.
 */
const MIN_INTERVAL_MS = 12 * 3_600_000;

export type BackgroundStatus = { state: 'on' } | { state: 'off'; why: string };

interface PeriodicSyncManager {
  register(tag: string, options: { minInterval: number }): Promise<void>;
}

/** Registers the periodic capture when this browser allows it, and says whether it is on. */
export async function enableBackgroundCapture(): Promise<BackgroundStatus> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator))
    return { state: 'off', why: 'this browser cannot run the app in the background.' };
  const reg = await navigator.serviceWorker.getRegistration('/');
  if (!reg)
    return {
      state: 'off',
      why: 'the app is not installed on this device yet (open it online once).',
    };
  const periodic = (reg as ServiceWorkerRegistration & { periodicSync?: PeriodicSyncManager })
    .periodicSync;
  if (!periodic)
    return {
      state: 'off',
      why: 'this browser does not offer it (Chrome and Edge do, for an installed app).',
    };
  try {
    const perm = await navigator.permissions.query({
      name: 'periodic-background-sync' as PermissionName,
    });
    if (perm.state !== 'granted')
      return {
        state: 'off',
        why: 'install the app (Add to Home screen, or Install in the address bar) to let it capture while closed.',
      };
    await periodic.register(CAPTURE_TAG, { minInterval: MIN_INTERVAL_MS });
    return { state: 'on' };
  } catch {
    return {
      state: 'off',
      why: 'the browser did not allow it for this app (install it to let it capture while closed).',
    };
  }
}

/**
 * Calls `changed` whenever the worker's capture stored something, for a page
 * that happens to be open meanwhile. Returns the way to stop listening.
 */
export function onBackgroundCapture(changed: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CAPTURE_CHANNEL);
  channel.onmessage = () => changed();
  return () => channel.close();
}
