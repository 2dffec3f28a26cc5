// One account's plays laid out for questions about periods: kept in time
// order, so the plays of any [from, to) are found by binary search instead of
// a scan of ten years, with each play's track interned to a small integer and
// its local day and hour worked out once (local-days.ts). Built once per
// history read; every card, "on this day" and the calendar heatmap then read
// only the plays of their own span.
import { artistKey } from './ranking.js';
import { zoneOffsets, DAY_MS, weekdayOf } from './local-days.js';
import type { Play, Track } from './types.js';

const HOUR_MS = 3_600_000;

export interface PlayTimeline {
  zone: string;
  /** End time of each play (ms), ascending: what the binary search reads. */
  times: Float64Array;
  msPlayed: Float64Array;
  /** Interned track of each play: an index into `trackIds`. */
  track: Int32Array;
  /** Local day number of each play (local-days.ts). */
  day: Int32Array;
  /** Local hour of the week of each play: weekday (0 = Monday) * 24 + hour. */
  hourOfWeek: Uint8Array;
  trackIds: string[];
  /** Per interned track: the end time of its first play in the whole history. */
  firstHeard: Float64Array;
  /** Per interned track: its credited artists, as indexes into `artistKeys`/`artistNames`. */
  artistsOf: number[][];
  artistKeys: string[];
  artistNames: string[];
}

const isSorted = (plays: readonly Play[]): boolean => {
  for (let i = 1; i < plays.length; i++)
    if (plays[i]!.playedAt < plays[i - 1]!.playedAt) return false;
  return true;
};

/**
 * Lays out one account's plays (loadHistory gives them oldest first; any
 * other order is sorted here). `tracks` supplies the artists; a track the
 * device does not know has none.
 */
export function playTimeline(
  input: readonly Play[],
  zone: string,
  tracks: ReadonlyMap<string, Track> = new Map(),
): PlayTimeline {
  const plays = isSorted(input) ? input : [...input].sort((a, b) => a.playedAt - b.playedAt);
  const n = plays.length;
  const times = new Float64Array(n);
  const msPlayed = new Float64Array(n);
  const track = new Int32Array(n);
  const day = new Int32Array(n);
  const hourOfWeek = new Uint8Array(n);
  const index = new Map<string, number>();
  const trackIds: string[] = [];
  const first: number[] = [];
  const { starts, offsets } =
    n === 0
      ? { starts: [-Infinity], offsets: [0] }
      : zoneOffsets(zone, plays[0]!.playedAt, plays[n - 1]!.playedAt);
  let seg = 0;
  for (let i = 0; i < n; i++) {
    const p = plays[i]!;
    const t = p.playedAt;
    times[i] = t;
    msPlayed[i] = p.msPlayed;
    let k = index.get(p.trackId);
    if (k === undefined) {
      k = trackIds.length;
      index.set(p.trackId, k);
      trackIds.push(p.trackId);
      first.push(t);
    }
    track[i] = k;
    while (seg + 1 < starts.length && starts[seg + 1]! <= t) seg++;
    const local = t + offsets[seg]!;
    const d = Math.floor(local / DAY_MS);
    day[i] = d;
    hourOfWeek[i] = weekdayOf(d) * 24 + Math.floor((local - d * DAY_MS) / HOUR_MS);
  }
  const artistIndex = new Map<string, number>();
  const artistKeys: string[] = [];
  const artistNames: string[] = [];
  const artistsOf = trackIds.map((id) => {
    const out: number[] = [];
    for (const a of tracks.get(id)?.artists ?? []) {
      const key = artistKey(a);
      let j = artistIndex.get(key);
      if (j === undefined) {
        j = artistKeys.length;
        artistIndex.set(key, j);
        artistKeys.push(key);
        artistNames.push(a.name);
      }
      // an artist listed twice on one track is still one artist (ranking.ts)
      if (!out.includes(j)) out.push(j);
    }
    return out;
  });
  // no Play objects are kept: a card page holds ten years of typed arrays
  // (~25 bytes a play) rather than 300,000 objects
  return {
    zone,
    times,
    msPlayed,
    track,
    day,
    hourOfWeek,
    trackIds,
    firstHeard: Float64Array.from(first),
    artistsOf,
    artistKeys,
    artistNames,
  };
}

/** The index of the first play that ended at or after `t` (plays.length when none). */
export function firstPlayAtOrAfter(timeline: PlayTimeline, t: number): number {
  const { times } = timeline;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The plays that ended in [from, to), as a half-open index range. */
export function playRange(timeline: PlayTimeline, from: number, to: number): [number, number] {
  const lo = firstPlayAtOrAfter(timeline, from);
  return [lo, Math.max(lo, firstPlayAtOrAfter(timeline, to))];
}
