// Weights shared by every computation that reads ranked lists.
import type { ArtistRef, TimeRange, Track } from './types.js';

/**
 * Weight of rank `rank` (1-based) in a top list: 1 / log2(rank + 1), as in
 * discounted cumulative gain. #1 counts 1, #10 ~0.29, #50 ~0.18. A linear
 * weight would make #49 nearly worthless and a 1/rank weight would make #2
 * worth half of #1; listeners treat a top 50 as "all loved, the top more so",
 * which this curve follows. Do not "simplify" it to 1/rank.
 */
export function rankWeight(rank: number): number {
  return rank < RANK_WEIGHTS.length ? RANK_WEIGHTS[rank]! : 1 / Math.log2(rank + 1);
}
const RANK_WEIGHTS = Array.from({ length: 101 }, (_, r) => (r === 0 ? 0 : 1 / Math.log2(r + 1)));

/**
 * How much being in one range's top list says about being loved. Long term
 * (~1 year) means sustained love; short term (~4 weeks) can be a passing
 * phase, so it counts less per snapshot. Each snapshot is also weighted by the
 * time it stands for (see gems.ts), so frequent short snapshots do not
 * outweigh the long view merely by being numerous.
 */
export const RANGE_WEIGHT: Readonly<Record<TimeRange, number>> = {
  short_term: 0.5,
  medium_term: 0.8,
  long_term: 1,
};

/** A stable key for an artist: the Spotify id, else the lower-cased name (export rows). */
export function artistKey(a: ArtistRef): string {
  return a.id ?? `name:${a.name.trim().toLowerCase()}`;
}

export interface ArtistTally {
  key: string;
  name: string;
  weight: number;
}

/**
 * Adds `weight` to every credited artist of `track`. Featured artists get the
 * full weight too: a duet is a play of both artists, as Spotify counts it.
 */
export function creditArtists(tally: Map<string, ArtistTally>, track: Track | undefined, weight: number): void {
  if (!track) return;
  for (let i = 0; i < track.artists.length; i++) {
    const key = artistKey(track.artists[i]!);
    // An artist listed twice on one track is still one artist.
    if (track.artists.findIndex((a) => artistKey(a) === key) !== i) continue;
    const a = track.artists[i]!;
    const hit = tally.get(key);
    if (hit) hit.weight += weight;
    else tally.set(key, { key, name: a.name, weight });
  }
}

/** Tallies sorted by weight (descending), ties by name for a stable order. */
export function rankTallies<T extends { weight: number; name: string }>(tally: Iterable<T>, limit = Infinity): T[] {
  return [...tally].sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit);
}
