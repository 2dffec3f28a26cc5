// One sync of the device diary with Spotify, run on open (when online and
// connected) and on "snapshot now". Steps, each stored in its own transaction
// so an interruption never leaves half of a step behind:
//   1. who is connected (GET /me): the account every row is keyed on
//   2. snapshots of the three ranges, when due (all three stored together)
//   3. plays since the recently-played cursor (plays + cursor stored together)
//   4. audio features for stored tracks that lack them (per batch)
// Nothing here deletes what the diary holds: an auth problem stops the sync
// and leaves every stored row alone.
import {
  CADENCES,
  STREAM_THRESHOLD_MS,
  TIME_RANGES,
  buildSnapshot,
  gapFromPage,
  isSnapshotDue,
  type Play,
  type TimeRange,
  type TimeSpan,
  type Track,
} from '@mtm/core';
import { rememberAccount } from '../db/accounts';
import { addSnapshots, latestSnapshot } from '../db/snapshots';
import { recentCursor, saveRecentPlays } from '../db/recent-plays';
import { loadSettings } from '../db/settings';
import { fetchMissingFeatures, knownTrackIds } from './features';
import { withPauses, type SyncDeps } from './sync-deps';

export type { SyncClient, SyncDeps, SyncProgress } from './sync-deps';

export interface SyncResult {
  accountId: string;
  snapshotsTaken: TimeRange[];
  newPlays: number;
  featuresFetched: number;
  /** Tracks still without features (unknown to the source, or source unavailable). */
  featuresMissing: number;
  featuresUnavailable: boolean;
}

/** Top tracks per range kept in a snapshot. */
export const SNAPSHOT_SIZE = 50;
/** Audio features fetched per sync at most (40 per request). */
export const FEATURES_PER_SYNC = 800;
/** recently-played only ever holds the last 50 plays; more pages than this means a bug. */
const MAX_RECENT_PAGES = 5;

export interface SyncOptions {
  /** Take snapshots of every range now, whatever the cadence says. */
  snapshotNow?: boolean;
  /** Just back from the consent page: show this account's diary. */
  justConnected?: boolean;
  /**
   * The service worker's periodic capture (issue 14): snapshots and plays
   * only, no audio features (minutes of requests a background wake-up
   * should not spend), and the capture is noted as a background one.
   */
  background?: boolean;
}

export async function runSync(deps: SyncDeps, opts: SyncOptions = {}): Promise<SyncResult> {
  const { db, client } = deps;
  const signal = deps.signal;
  const sig = signal ? { signal } : {};

  deps.onProgress?.({ step: 'account' });
  const profile = await withPauses(deps, () => client.me(sig));
  const accountId = profile.accountId;
  await rememberAccount(
    db,
    { accountId, displayName: profile.displayName, imageUrl: profile.imageUrl },
    deps.now(),
    { makeCurrent: opts.justConnected ?? false },
  );

  const snapshotsTaken = await takeDueSnapshots(deps, accountId, opts.snapshotNow ?? false);
  const newPlays = await captureRecentPlays(deps, accountId, opts.background ?? false);
  // A sync after a big import would otherwise spend minutes on features; the
  // rest follow on later syncs, or at once from the moods page's button.
  const features = opts.background
    ? { fetched: 0, missing: 0, unavailable: false }
    : await fetchMissingFeatures(deps, await knownTrackIds(db, accountId), {
        max: FEATURES_PER_SYNC,
      });

  return {
    accountId,
    snapshotsTaken,
    newPlays,
    featuresFetched: features.fetched,
    featuresMissing: features.missing,
    featuresUnavailable: features.unavailable,
  };
}

async function takeDueSnapshots(
  deps: SyncDeps,
  accountId: string,
  force: boolean,
): Promise<TimeRange[]> {
  const { db, client } = deps;
  const settings = await loadSettings(db, accountId);
  const cadenceMs = CADENCES[settings.cadence];
  const now = deps.now();
  const due: TimeRange[] = [];
  for (const range of TIME_RANGES) {
    if (force || isSnapshotDue(await latestSnapshot(db, accountId, range), cadenceMs, now))
      due.push(range);
  }
  if (due.length === 0) return [];

  const fetched: { range: TimeRange; tracks: Track[] }[] = [];
  deps.onProgress?.({ step: 'snapshots', done: 0, total: due.length });
  for (const range of due) {
    const tracks = await withPauses(deps, () =>
      client.topTracksUpTo(range, SNAPSHOT_SIZE, deps.signal ? { signal: deps.signal } : {}),
    );
    fetched.push({ range, tracks });
    deps.onProgress?.({ step: 'snapshots', done: fetched.length, total: due.length });
  }
  // All due ranges share one takenAt and are stored together (addSnapshots).
  const takenAt = deps.now();
  await addSnapshots(
    db,
    fetched.map((f) => buildSnapshot({ accountId, range: f.range, takenAt, tracks: f.tracks })),
    fetched.flatMap((f) => f.tracks),
  );
  return due;
}

async function captureRecentPlays(
  deps: SyncDeps,
  accountId: string,
  background: boolean,
): Promise<number> {
  const { db, client } = deps;
  deps.onProgress?.({ step: 'recent' });
  const stored = await recentCursor(db, accountId);
  let cursor = stored;
  const plays: Play[] = [];
  const tracks: Track[] = [];
  // issue 14: the first page alone says whether plays fell off the end of
  // recently-played since the last capture (core's gaps.ts); no extra request
  let gap: TimeSpan | null = null;
  for (let page = 0; page < MAX_RECENT_PAGES; page++) {
    const after = cursor;
    const res = await withPauses(deps, () =>
      client.recentlyPlayed({
        limit: 50,
        ...(after > 0 ? { after } : {}),
        ...(deps.signal ? { signal: deps.signal } : {}),
      }),
    );
    for (const item of res.items) {
      // recently-played says when a play ended, not how long it lasted; Spotify
      // lists a play only after ~30 s, so count it as a stream of the whole track.
      plays.push({
        accountId,
        playedAt: item.playedAt,
        trackId: item.track.id,
        msPlayed: item.track.durationMs ?? STREAM_THRESHOLD_MS,
        source: 'recent',
      });
      tracks.push(item.track);
      cursor = Math.max(cursor, item.playedAt);
    }
    if (page === 0)
      gap = gapFromPage(
        stored,
        res.items.map((i) => i.playedAt),
      );
    if (res.items.length < 50 || res.nextAfter === null || res.nextAfter <= after) break;
  }
  return saveRecentPlays(
    db,
    accountId,
    { plays, tracks, cursor, gap, via: background ? 'background' : 'page' },
    deps.now,
  );
}
