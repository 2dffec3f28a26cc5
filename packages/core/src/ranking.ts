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
export function creditArtists(
  tally: Map<string, ArtistTally>,
  track: Track | undefined,
  weight: number,
): void {
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
export function rankTallies<T extends { weight: number; name: string }>(
  tally: Iterable<T>,
  limit = Infinity,
): T[] {
  return [...tally]
    .sort((a, b) => b.weight - a.weight || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, limit);
}

/**
 * Sums weights per artist over many tracks and periods. Each track's artists
 * are resolved once and kept as small integers, and weights live in a typed
 * array reset through the list of touched entries: evolution over ten years
 * would otherwise do a string-keyed Map update per track per period.
 */
export class ArtistCounter {
  private readonly index = new Map<string, number>();
  private readonly keys: string[] = [];
  private readonly names: string[] = [];
  private readonly byTrack = new Map<string, readonly number[]>();
  private weight = new Float64Array(64);
  private touched: number[] = [];

  constructor(private readonly tracks: ReadonlyMap<string, Track>) {}

  /** The track's distinct artists as integers (empty for an unknown track). */
  artistsOf(trackId: string): readonly number[] {
    let list = this.byTrack.get(trackId);
    if (list) return list;
    const out: number[] = [];
    for (const a of this.tracks.get(trackId)?.artists ?? []) {
      const key = artistKey(a);
      let i = this.index.get(key);
      if (i === undefined) {
        i = this.keys.length;
        this.index.set(key, i);
        this.keys.push(key);
        this.names.push(a.name);
        if (i >= this.weight.length) {
          const grown = new Float64Array(2 * this.weight.length);
          grown.set(this.weight);
          this.weight = grown;
        }
      }
      if (!out.includes(i)) out.push(i);
    }
    this.byTrack.set(trackId, (list = out));
    return list;
  }

  add(artists: readonly number[], w: number): void {
    for (let j = 0; j < artists.length; j++) {
      const a = artists[j]!;
      if (this.weight[a] === 0) this.touched.push(a);
      this.weight[a] = this.weight[a]! + w;
    }
  }

  /** The `limit` heaviest artists since the last take (ties by name), and a reset. */
  take(limit = Infinity): ArtistTally[] {
    const { weight, names, keys } = this;
    const t = this.touched;
    t.sort(
      (x, y) =>
        weight[y]! - weight[x]! || (names[x]! < names[y]! ? -1 : names[x]! > names[y]! ? 1 : 0),
    );
    const out = t
      .slice(0, Math.min(limit, t.length))
      .map((a) => ({ key: keys[a]!, name: names[a]!, weight: weight[a]! }));
    for (const a of t) weight[a] = 0;
    this.touched = [];
    return out;
  }
}
