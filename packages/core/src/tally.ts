// Counting streams per period and track over hundreds of thousands of plays.
// A Map per period keyed by track id costs two string-hash operations per
// play; instead each track id is interned once (one lookup per play), plays
// are grouped by period with a counting sort, and each period is counted in a
// dense array that is reset through its list of touched entries.
import { STREAM_THRESHOLD_MS, type Play } from './types.js';

export interface PeriodTally {
  /** Interned track ids: `trackIds[i]` is the id of index i. */
  trackIds: string[];
  /** Per period: the track indexes streamed in it and their stream counts. */
  periods: { tracks: Int32Array; streams: Int32Array }[];
}

/** Streams (plays >= 30 s) per period and track; `locate` maps an instant to a period index or -1. */
export function tallyStreams(
  plays: readonly Play[],
  locate: (t: number) => number,
  nPeriods: number,
): PeriodTally {
  const index = new Map<string, number>();
  const trackIds: string[] = [];
  const n = plays.length;
  const periodOf = new Int32Array(n);
  const trackOf = new Int32Array(n);
  const perPeriod = new Int32Array(nPeriods + 1);
  for (let i = 0; i < n; i++) {
    const p = plays[i]!;
    const period = p.msPlayed >= STREAM_THRESHOLD_MS ? locate(p.playedAt) : -1;
    periodOf[i] = period;
    if (period < 0) continue;
    let t = index.get(p.trackId);
    if (t === undefined) {
      t = trackIds.length;
      index.set(p.trackId, t);
      trackIds.push(p.trackId);
    }
    trackOf[i] = t;
    perPeriod[period + 1]!++;
  }
  for (let k = 1; k <= nPeriods; k++) perPeriod[k]! += perPeriod[k - 1]!;
  const order = new Int32Array(perPeriod[nPeriods]!);
  const cursor = perPeriod.slice(0, nPeriods);
  for (let i = 0; i < n; i++) {
    const period = periodOf[i]!;
    if (period >= 0) order[cursor[period]!++] = trackOf[i]!;
  }
  const counts = new Int32Array(trackIds.length);
  const touched = new Int32Array(trackIds.length);
  const periods: PeriodTally['periods'] = [];
  for (let k = 0; k < nPeriods; k++) {
    let m = 0;
    for (let j = perPeriod[k]!; j < perPeriod[k + 1]!; j++) {
      const t = order[j]!;
      if (counts[t] === 0) touched[m++] = t;
      counts[t] = counts[t]! + 1;
    }
    const tracks = touched.slice(0, m);
    const streams = new Int32Array(m);
    for (let j = 0; j < m; j++) {
      streams[j] = counts[tracks[j]!]!;
      counts[tracks[j]!] = 0;
    }
    periods.push({ tracks, streams });
  }
  return { trackIds, periods };
}
