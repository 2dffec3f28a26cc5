// The diary: which months have data, and what one month sounded like.
import {
  monthLabel,
  monthLocator,
  monthSpan,
  monthsBetween,
  previousMonth,
  type MonthSpan,
} from './calendar.js';
import { historyExtent } from './periods.js';
import { creditArtists, rankTallies, rankWeight, type ArtistTally } from './ranking.js';
import {
  STREAM_THRESHOLD_MS,
  TIME_RANGES,
  type Play,
  type Snapshot,
  type TimeRange,
  type Track,
} from './types.js';

export interface DiaryMonthSummary {
  key: string;
  year: number;
  month: number;
  label: string;
  plays: number;
  /** Plays of at least 30 s, the way Spotify counts streams. */
  streams: number;
  snapshots: number;
}

const ofAccount = <T extends { accountId: string }>(
  rows: readonly T[],
  accountId: string | undefined,
): readonly T[] => (accountId === undefined ? rows : rows.filter((r) => r.accountId === accountId));

/** Months (in `zone`) that hold at least one play or snapshot, oldest first. */
export function diaryMonths(
  plays: readonly Play[],
  snapshots: readonly Snapshot[],
  zone: string,
  accountId?: string,
): DiaryMonthSummary[] {
  const ps = ofAccount(plays, accountId);
  const ss = ofAccount(snapshots, accountId);
  const extent = historyExtent(ps, ss);
  if (!extent) return [];
  const months = monthsBetween(zone, extent.from, extent.to);
  const locate = monthLocator(months);
  const count = new Int32Array(months.length);
  const streams = new Int32Array(months.length);
  const snaps = new Int32Array(months.length);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    const m = locate(p.playedAt);
    count[m]!++;
    if (p.msPlayed >= STREAM_THRESHOLD_MS) streams[m]!++;
  }
  for (let i = 0; i < ss.length; i++) snaps[locate(ss[i]!.takenAt)]!++;
  const out: DiaryMonthSummary[] = [];
  months.forEach((m, i) => {
    if (count[i]! + snaps[i]! === 0) return;
    out.push({
      key: m.key,
      year: m.year,
      month: m.month,
      label: monthLabel(m),
      plays: count[i]!,
      streams: streams[i]!,
      snapshots: snaps[i]!,
    });
  });
  return out;
}

export interface DiaryTrack {
  trackId: string;
  /** From plays; null when the month is told from snapshots. */
  streams: number | null;
  minutes: number | null;
  /** From snapshots: the best rank it reached that month; null from plays. */
  bestRank: number | null;
}

export interface DiaryArtist {
  key: string;
  name: string;
  /** Streams (from plays) or summed rank weight (from snapshots). */
  weight: number;
}

export interface DiaryMonthView {
  key: string;
  label: string;
  start: number;
  end: number;
  source: 'plays' | 'snapshots' | 'empty';
  /** The range the snapshots came from when `source` is 'snapshots'. */
  range: TimeRange | null;
  totals: { plays: number; streams: number; minutes: number; snapshots: number };
  topTracks: DiaryTrack[];
  topArtists: DiaryArtist[];
  /** Top tracks absent from the previous month, in rank order; null when that month has no data. */
  newTracks: string[] | null;
  newArtists: string[] | null;
}

export interface DiaryMonthInput {
  plays: readonly Play[];
  snapshots: readonly Snapshot[];
  tracks: ReadonlyMap<string, Track>;
  zone: string;
  year: number;
  /** 1..12 */
  month: number;
  accountId?: string;
  /** Length of the top lists; default 50. */
  limit?: number;
}

interface Ranked {
  tracks: DiaryTrack[];
  artists: Map<string, ArtistTally>;
  source: DiaryMonthView['source'];
  range: TimeRange | null;
}

export function diaryMonth(input: DiaryMonthInput): DiaryMonthView {
  const limit = input.limit ?? 50;
  const plays = ofAccount(input.plays, input.accountId);
  const snapshots = ofAccount(input.snapshots, input.accountId);
  const span = monthSpan(input.zone, input.year, input.month);
  const prev = previousMonth(span);
  const prevSpan = monthSpan(input.zone, prev.year, prev.month);
  const totals = { plays: 0, streams: 0, minutes: 0, snapshots: 0 };
  const cur: Play[] = [];
  const before: Play[] = [];
  for (let i = 0; i < plays.length; i++) {
    const p = plays[i]!;
    if (p.playedAt >= span.start && p.playedAt < span.end) cur.push(p);
    else if (p.playedAt >= prevSpan.start && p.playedAt < prevSpan.end) before.push(p);
  }
  for (const p of cur) {
    totals.plays++;
    totals.minutes += p.msPlayed / 60_000;
    if (p.msPlayed >= STREAM_THRESHOLD_MS) totals.streams++;
  }
  totals.minutes = round1(totals.minutes);
  const inMonth = (m: MonthSpan) =>
    snapshots.filter((s) => s.takenAt >= m.start && s.takenAt < m.end);
  const curSnaps = inMonth(span);
  totals.snapshots = curSnaps.length;

  const now = rankMonth(cur, curSnaps, input.tracks);
  const then = rankMonth(before, inMonth(prevSpan), input.tracks);
  const hadBefore = then.source !== 'empty';
  const beforeTracks = new Set(then.tracks.map((t) => t.trackId));
  const artists = rankTallies(now.artists.values());
  return {
    key: span.key,
    label: monthLabel(span),
    start: span.start,
    end: span.end,
    source: now.source,
    range: now.range,
    totals,
    topTracks: now.tracks.slice(0, limit),
    topArtists: artists
      .slice(0, limit)
      .map(({ key, name, weight }) => ({ key, name, weight: round1(weight) })),
    newTracks: hadBefore
      ? now.tracks
          .filter((t) => !beforeTracks.has(t.trackId))
          .slice(0, limit)
          .map((t) => t.trackId)
      : null,
    newArtists: hadBefore
      ? artists
          .filter((a) => !then.artists.has(a.key))
          .slice(0, limit)
          .map((a) => a.key)
      : null,
  };
}

/**
 * Plays win over snapshots when a month has both: plays say what was actually
 * played in that month, while even a short-term snapshot looks back ~4 weeks
 * and so partly describes the month before.
 */
function rankMonth(
  plays: readonly Play[],
  snapshots: readonly Snapshot[],
  tracks: ReadonlyMap<string, Track>,
): Ranked {
  const artists = new Map<string, ArtistTally>();
  const byTrack = new Map<string, { streams: number; ms: number }>();
  for (const p of plays) {
    let t = byTrack.get(p.trackId);
    if (!t) byTrack.set(p.trackId, (t = { streams: 0, ms: 0 }));
    t.ms += p.msPlayed;
    if (p.msPlayed >= STREAM_THRESHOLD_MS) t.streams++;
  }
  const streamed = [...byTrack].filter(([, t]) => t.streams > 0);
  if (streamed.length > 0) {
    streamed.sort(
      (a, b) => b[1].streams - a[1].streams || b[1].ms - a[1].ms || (a[0] < b[0] ? -1 : 1),
    );
    for (const [id, t] of streamed) creditArtists(artists, tracks.get(id), t.streams);
    return {
      tracks: streamed.map(([trackId, t]) => ({
        trackId,
        streams: t.streams,
        minutes: round1(t.ms / 60_000),
        bestRank: null,
      })),
      artists,
      source: 'plays',
      range: null,
    };
  }
  // The shortest range present is the truest picture of the month itself.
  const range = TIME_RANGES.find((r) =>
    snapshots.some((s) => s.range === r && s.trackIds.length > 0),
  );
  if (!range) return { tracks: [], artists, source: 'empty', range: null };
  const score = new Map<string, { w: number; best: number }>();
  for (const s of snapshots) {
    if (s.range !== range) continue;
    s.trackIds.forEach((id, i) => {
      const w = rankWeight(i + 1);
      const cur = score.get(id);
      if (cur) {
        cur.w += w;
        cur.best = Math.min(cur.best, i + 1);
      } else score.set(id, { w, best: i + 1 });
      creditArtists(artists, tracks.get(id), w);
    });
  }
  const ranked = [...score].sort(
    (a, b) => b[1].w - a[1].w || a[1].best - b[1].best || (a[0] < b[0] ? -1 : 1),
  );
  return {
    tracks: ranked.map(([trackId, s]) => ({
      trackId,
      streams: null,
      minutes: null,
      bestRank: s.best,
    })),
    artists,
    source: 'snapshots',
    range,
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
