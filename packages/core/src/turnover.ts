// How fast taste turns over: comparing two ranked lists, and a series of them.
import { periodGrid, type Hemisphere, type Period } from './periods.js';
import { artistKey, rankWeight } from './ranking.js';
import { RankedListComparer } from './ranked-lists.js';
import {
  STREAM_THRESHOLD_MS,
  type Play,
  type Snapshot,
  type TimeRange,
  type Track,
} from './types.js';

/** 1 - |A∩B| / |A∪B|: the share of the union that is not shared. Two empty lists are identical (0). */
export function jaccardTurnover(a: readonly string[], b: readonly string[]): number {
  return compareOnce(a, b).jaccard;
}

/**
 * 1 - rank-biased overlap (Webber, Moffat & Zobel 2010), truncated at the
 * longer list's depth k and normalised by the weight mass of depths 1..k, so
 * identical lists give 0 and disjoint ones 1 whatever their length:
 *   RBO = (1-p)/(1-p^k) · Σ_{d=1..k} p^(d-1) · |A[:d] ∩ B[:d]| / d
 * p = 0.9 puts ~65% of the weight on the top 10 (expected depth 1/(1-p) = 10):
 * a change at #1 matters more than a change at #40, which Jaccard cannot see.
 * Repeated ids are ignored after their first (best) rank.
 */
export function rankAwareTurnover(a: readonly string[], b: readonly string[], p = 0.9): number {
  return compareOnce(a, b, p).rankAware;
}

function compareOnce(a: readonly string[], b: readonly string[], p?: number) {
  const c = new RankedListComparer();
  return c.compare(c.intern(a), c.intern(b), p);
}

export interface RankedDiff {
  /** In the newer list but not the older, in the newer list's order. */
  entered: string[];
  /** In the older list but not the newer, in the older list's order. */
  exited: string[];
  stayed: string[];
}

export function rankedDiff(older: readonly string[], newer: readonly string[]): RankedDiff {
  const o = new Set(older);
  const n = new Set(newer);
  return {
    entered: [...n].filter((x) => !o.has(x)),
    exited: [...o].filter((x) => !n.has(x)),
    stayed: [...n].filter((x) => o.has(x)),
  };
}

export interface TurnoverPoint {
  key: string;
  label: string;
  start: number;
  /** The snapshot that represents the period (its last one). */
  snapshotId: string;
  /** Against the previous period that had a snapshot; null for the first. */
  jaccard: number | null;
  rankAware: number | null;
  entered: number;
  exited: number;
  /**
   * Periods between this one and the previous point that have no snapshot at
   * all (issue 14): a comparison across them is not month to month.
   */
  skipped: number;
}

export interface TurnoverSeriesOptions {
  range: TimeRange;
  /** 'snapshot' compares every snapshot with the one before it. */
  period: Period | 'snapshot';
  zone: string;
  hemisphere?: Hemisphere;
  /** 'artist' compares ranked artist lists derived from each snapshot (needs `tracks`). */
  level?: 'track' | 'artist';
  tracks?: ReadonlyMap<string, Track>;
  accountId?: string;
}

/**
 * Turnover between consecutive periods, each represented by its last snapshot
 * of `range`. Using one snapshot per period (not all of them) keeps weekly and
 * monthly capture habits comparable.
 */
export function turnoverSeries(
  snapshots: readonly Snapshot[],
  o: TurnoverSeriesOptions,
): TurnoverPoint[] {
  const chosen = snapshots.filter(
    (s) => s.range === o.range && (o.accountId === undefined || s.accountId === o.accountId),
  );
  if (chosen.length === 0) return [];
  chosen.sort((a, b) => a.takenAt - b.takenAt);
  const grid = periodGrid(
    o.zone,
    chosen[0]!.takenAt,
    chosen[chosen.length - 1]!.takenAt,
    o.period === 'snapshot' ? 'month' : o.period,
    o.hemisphere,
  );
  const points: { key: string; label: string; start: number; index: number; s: Snapshot }[] = [];
  for (const s of chosen) {
    const index = grid.locate(s.takenAt);
    const p = grid.periods[index]!;
    const point = {
      key: o.period === 'snapshot' ? s.id : p.key,
      label: p.label,
      start: o.period === 'snapshot' ? s.takenAt : p.start,
      index,
      s,
    };
    // Sorted by time, so the last snapshot of a period overwrites the earlier ones.
    if (points.length > 0 && points[points.length - 1]!.key === point.key)
      points[points.length - 1] = point;
    else points.push(point);
  }
  const comparer = new RankedListComparer();
  const rankArtists = artistRanker(o.tracks);
  let prev: number[] | null = null;
  let prevIndex: number | null = null;
  return points.map(({ key, label, start, index, s }) => {
    const list = comparer.intern(o.level === 'artist' ? rankArtists(s.trackIds) : s.trackIds);
    const c = prev ? comparer.compare(prev, list) : null;
    const skipped = prevIndex === null ? 0 : Math.max(0, index - prevIndex - 1);
    prev = list;
    prevIndex = index;
    return {
      key,
      label,
      start,
      snapshotId: s.id,
      jaccard: c ? c.jaccard : null,
      rankAware: c ? c.rankAware : null,
      entered: c ? c.entered : 0,
      exited: c ? c.exited : 0,
      skipped,
    };
  });
}

/** Artist keys ranked by the summed rank weight of their tracks in a ranked track list. */
export function rankedArtists(
  trackIds: readonly string[],
  tracks: ReadonlyMap<string, Track> | undefined,
): string[] {
  return artistRanker(tracks)(trackIds);
}

/**
 * A ranker that remembers each track's artists as small integers, so a
 * series over hundreds of snapshots resolves every track once and sums
 * weights in an array rather than in a Map per snapshot.
 */
function artistRanker(
  tracks: ReadonlyMap<string, Track> | undefined,
): (trackIds: readonly string[]) => string[] {
  const artistIndex = new Map<string, number>();
  const keys: string[] = [];
  const ofTrack = new Map<string, number[]>();
  let weight = new Float64Array(64);
  const artistsOf = (id: string): number[] => {
    let list = ofTrack.get(id);
    if (list) return list;
    list = [];
    for (const a of tracks?.get(id)?.artists ?? []) {
      const key = artistKey(a);
      let i = artistIndex.get(key);
      if (i === undefined) {
        i = keys.length;
        artistIndex.set(key, i);
        keys.push(key);
      }
      if (!list.includes(i)) list.push(i);
    }
    ofTrack.set(id, list);
    return list;
  };
  return (trackIds) => {
    const touched: number[] = [];
    for (let r = 0; r < trackIds.length; r++) {
      for (const a of artistsOf(trackIds[r]!)) {
        if (a >= weight.length) {
          const grown = new Float64Array(2 * keys.length);
          grown.set(weight);
          weight = grown;
        }
        if (weight[a] === 0) touched.push(a);
        weight[a] = weight[a]! + rankWeight(r + 1);
      }
    }
    touched.sort((x, y) => weight[y]! - weight[x]! || (keys[x]! < keys[y]! ? -1 : 1));
    const out = touched.map((a) => keys[a]!);
    for (const a of touched) weight[a] = 0;
    return out;
  };
}

/** Tracks in a list built from a period's plays, as many as a short-term snapshot holds. */
export const PERIOD_TOP_SIZE = 50;

/**
 * The lists turnover compares, one per period: where the period has plays
 * (an imported history, recently-played captures), its 50 most-streamed
 * tracks; otherwise its last short-term snapshot. Without this an imported
 * history of years, which has plays but no snapshots, would have no turnover
 * at all. Each list is dated at its period's start, so turnoverSeries puts it
 * back in the same period.
 */
export function topListsPerPeriod(
  input: { snapshots: readonly Snapshot[]; plays: readonly Play[]; zone: string },
  period: Period,
  hemisphere: Hemisphere,
): Snapshot[] {
  const short = input.snapshots.filter((s) => s.range === 'short_term');
  const streams = input.plays.filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS);
  if (streams.length === 0) return short;
  let from = Infinity;
  let to = -Infinity;
  for (const t of [...streams.map((p) => p.playedAt), ...short.map((s) => s.takenAt)]) {
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const grid = periodGrid(input.zone, from, to, period, hemisphere);
  const tallies = grid.periods.map(() => new Map<string, number>());
  for (const p of streams) {
    const i = grid.locate(p.playedAt);
    if (i >= 0) tallies[i]!.set(p.trackId, (tallies[i]!.get(p.trackId) ?? 0) + 1);
  }
  const out: Snapshot[] = [];
  grid.periods.forEach((span, i) => {
    const tally = tallies[i]!;
    if (tally.size === 0) return;
    const trackIds = [...tally.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, PERIOD_TOP_SIZE)
      .map(([id]) => id);
    out.push({
      id: `plays:${span.key}`,
      accountId: input.snapshots[0]?.accountId ?? streams[0]!.accountId,
      takenAt: span.start,
      range: 'short_term',
      trackIds,
    });
  });
  const played = new Set(out.map((s) => grid.locate(s.takenAt)));
  return [...out, ...short.filter((s) => !played.has(grid.locate(s.takenAt)))];
}
