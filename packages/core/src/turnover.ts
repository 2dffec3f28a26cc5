// How fast taste turns over: comparing two ranked lists, and a series of them.
import { periodGrid, type Hemisphere, type Period } from './periods.js';
import { artistKey, rankWeight } from './ranking.js';
import type { Snapshot, TimeRange, Track } from './types.js';

/** 1 - |A∩B| / |A∪B|: the share of the union that is not shared. Two empty lists are identical (0). */
export function jaccardTurnover(a: readonly string[], b: readonly string[]): number {
  const setA = new Set(a);
  const setB = new Set(b);
  if (setA.size === 0 && setB.size === 0) return 0;
  let shared = 0;
  for (const x of setA) if (setB.has(x)) shared++;
  return 1 - shared / (setA.size + setB.size - shared);
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
  const la = dedupe(a);
  const lb = dedupe(b);
  const k = Math.max(la.length, lb.length);
  if (k === 0) return 0;
  const seenA = new Set<string>();
  const seenB = new Set<string>();
  let overlap = 0;
  let sum = 0;
  let weight = 1;
  for (let d = 1; d <= k; d++) {
    const x = la[d - 1];
    const y = lb[d - 1];
    if (x !== undefined && x === y) {
      overlap++;
      seenA.add(x);
      seenB.add(y);
    } else {
      if (x !== undefined) {
        seenA.add(x);
        if (seenB.has(x)) overlap++;
      }
      if (y !== undefined) {
        seenB.add(y);
        if (seenA.has(y)) overlap++;
      }
    }
    sum += (weight * overlap) / d;
    weight *= p;
  }
  const rbo = (sum * (1 - p)) / (1 - Math.pow(p, k));
  // Rounded so identical lists give exactly 0 rather than 1e-16.
  return clamp01(Math.round((1 - rbo) * 1e12) / 1e12);
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
}

export interface TurnoverSeriesOptions {
  range: TimeRange;
  period: Period;
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
export function turnoverSeries(snapshots: readonly Snapshot[], o: TurnoverSeriesOptions): TurnoverPoint[] {
  const chosen = snapshots.filter((s) => s.range === o.range && (o.accountId === undefined || s.accountId === o.accountId));
  if (chosen.length === 0) return [];
  let from = Infinity;
  let to = -Infinity;
  for (const s of chosen) {
    if (s.takenAt < from) from = s.takenAt;
    if (s.takenAt > to) to = s.takenAt;
  }
  const grid = periodGrid(o.zone, from, to, o.period, o.hemisphere);
  const last: (Snapshot | undefined)[] = new Array(grid.periods.length);
  for (const s of chosen) {
    const i = grid.locate(s.takenAt);
    const cur = last[i];
    if (!cur || s.takenAt > cur.takenAt) last[i] = s;
  }
  const out: TurnoverPoint[] = [];
  let prev: string[] | null = null;
  grid.periods.forEach((p, i) => {
    const s = last[i];
    if (!s) return;
    const list = o.level === 'artist' ? rankedArtists(s.trackIds, o.tracks) : s.trackIds;
    const diff = prev ? rankedDiff(prev, list) : null;
    out.push({
      key: p.key, label: p.label, start: p.start, snapshotId: s.id,
      jaccard: prev ? jaccardTurnover(prev, list) : null,
      rankAware: prev ? rankAwareTurnover(prev, list) : null,
      entered: diff ? diff.entered.length : 0,
      exited: diff ? diff.exited.length : 0,
    });
    prev = list;
  });
  return out;
}

/** Artist keys ranked by the summed rank weight of their tracks in a ranked track list. */
export function rankedArtists(trackIds: readonly string[], tracks: ReadonlyMap<string, Track> | undefined): string[] {
  const weight = new Map<string, number>();
  trackIds.forEach((id, i) => {
    const t = tracks?.get(id);
    if (!t) return;
    for (const a of t.artists) {
      const k = artistKey(a);
      weight.set(k, (weight.get(k) ?? 0) + rankWeight(i + 1));
    }
  });
  return [...weight].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([k]) => k);
}

function dedupe(list: readonly string[]): string[] {
  return [...new Set(list)];
}

// `x <= 0` also turns -0 into 0.
const clamp01 = (x: number): number => (x <= 0 ? 0 : x > 1 ? 1 : x);
