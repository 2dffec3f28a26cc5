// The gems page's data: the history-powered gems from core, and beside them the
// seed's live version (long-term top minus short-term top) while the history
// is still too thin to say much on its own.
import {
  findGems,
  latestByRange,
  liveGems,
  type Gem,
  type Play,
  type Snapshot,
  type Track,
} from '@mtm/core';
import type { TimeMachineDb } from '$lib/db/schema';
import { allSnapshots } from '$lib/db/snapshots';
import { allPlays } from '$lib/db/plays';
import { getTracks } from '$lib/db/tracks';
import { effectiveTimeZone, loadSettings } from '$lib/db/settings';

export interface GemRow {
  gem: Gem;
  track: Track | null;
}

export interface GemsView {
  history: GemRow[];
  /** The seed's list, shown beside the history list while history is thin; empty otherwise. */
  live: GemRow[];
  thin: boolean;
  captures: number;
}

// Four capture moments span about a month at the default weekly cadence: from
// then on, the history list has seen tracks come and go by itself.
const THIN_CAPTURES = 4;
const THIN_STREAMS = 200;

export function isThin(snapshots: readonly Snapshot[], plays: readonly Play[]): boolean {
  const moments = new Set(snapshots.map((s) => s.takenAt)).size;
  return moments < THIN_CAPTURES && plays.length < THIN_STREAMS;
}

export function buildGemsView(
  snapshots: readonly Snapshot[],
  plays: readonly Play[],
  tracks: ReadonlyMap<string, Track>,
  now: number,
  zone: string,
  limit = 30,
): GemsView {
  const gems = findGems({ snapshots, plays, now, zone, limit });
  const thin = isThin(snapshots, plays);
  const row = (gem: Gem): GemRow => ({ gem, track: tracks.get(gem.trackId) ?? null });
  const latest = latestByRange(snapshots);
  const live: GemRow[] = [];
  if (thin && latest.long_term) {
    const long = latest.long_term.trackIds;
    for (const id of liveGems(long, latest.short_term?.trackIds ?? []).slice(0, limit)) {
      live.push(
        row({
          trackId: id,
          score: 0,
          source: 'live',
          lastHeard: null,
          explanation: `#${long.indexOf(id) + 1} in your top tracks of the past year, but not of the past 4 weeks`,
        }),
      );
    }
  }
  return {
    history: gems.filter((g) => g.source === 'history').map(row),
    live,
    thin,
    captures: new Set(snapshots.map((s) => s.takenAt)).size,
  };
}

export async function loadGemsView(
  db: TimeMachineDb,
  accountId: string,
  now: number,
): Promise<GemsView> {
  const [snapshots, plays, settings] = await Promise.all([
    allSnapshots(db, accountId),
    allPlays(db, accountId),
    loadSettings(db, accountId),
  ]);
  const ids = new Set<string>();
  for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
  for (const p of plays) ids.add(p.trackId);
  const tracks = await getTracks(db, ids);
  return buildGemsView(snapshots, plays, tracks, now, effectiveTimeZone(settings));
}
