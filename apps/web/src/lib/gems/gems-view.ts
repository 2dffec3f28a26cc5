// The gems page's data: the history-powered gems from core, and beside them the
// seed's live version (long-term top minus short-term top) while the history
// is still too thin to say much on its own.
import {
  captureMoments,
  findGems,
  isThin,
  latestByRange,
  liveGems,
  type Gem,
  type Track,
} from '@mtm/core';
import type { History } from '../db/history';

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

export function buildGemsView(
  { snapshots, plays, tracks, zone }: Pick<History, 'snapshots' | 'plays' | 'tracks' | 'zone'>,
  now: number,
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
    captures: captureMoments(snapshots),
  };
}
