// Forgotten gems: tracks that were loved, strongly and for long, and have not been heard lately.
import { shortMonthLabel, monthOf } from './calendar.js';
import { RANGE_WEIGHT, rankWeight } from './ranking.js';
import { captureMoments, latestByRange } from './snapshots.js';
import { STREAM_THRESHOLD_MS, type Play, type Snapshot } from './types.js';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
export const DEFAULT_RECENT_WINDOW_MS = 60 * DAY_MS;

/** The seed's version: the long-term top minus the short-term top, in long-term order. */
export function liveGems(longTerm: readonly string[], shortTerm: readonly string[]): string[] {
  const recent = new Set(shortTerm);
  return [...new Set(longTerm)].filter((id) => !recent.has(id));
}

// Four capture moments span about a month at the default weekly cadence: from
// then on, the history list has seen tracks come and go by itself.
const THIN_CAPTURES = 4;
const THIN_STREAMS = 200;

/**
 * Too little history for history gems to say much on their own: the page
 * then shows the seed's live list (long-term top minus short-term top) beside.
 */
export function isThin(snapshots: readonly Snapshot[], plays: readonly Play[]): boolean {
  return captureMoments(snapshots) < THIN_CAPTURES && plays.length < THIN_STREAMS;
}

export interface Gem {
  trackId: string;
  score: number;
  source: 'history' | 'live';
  /** Last play or last short-term top appearance; null when never observed. */
  lastHeard: number | null;
  explanation: string;
}

export interface GemsInput {
  snapshots: readonly Snapshot[];
  plays: readonly Play[];
  now: number;
  /** IANA zone for the months named in explanations. */
  zone: string;
  /** Tracks heard within this window before `now` are never gems; default 60 days. */
  recentWindowMs?: number;
  limit?: number;
  accountId?: string;
}

// Tiers named in explanations ("in your top 10 ..."); the last catches every rank.
const TIERS = [10, 25, Infinity] as const;

interface Stats {
  love: number;
  streams: number;
  lastPlayed: number;
  lastShort: number;
  firstSeen: number;
  bestRank: number;
  /** Per tier: distinct capture moments, first and last. */
  count: [number, number, number];
  first: [number, number, number];
  last: [number, number, number];
}

const newStats = (): Stats => ({
  love: 0,
  streams: 0,
  lastPlayed: -Infinity,
  lastShort: -Infinity,
  firstSeen: Infinity,
  bestRank: Infinity,
  count: [0, 0, 0],
  first: [Infinity, Infinity, Infinity],
  last: [-Infinity, -Infinity, -Infinity],
});

// A snapshot stands for the time until the next one of its range, capped: a
// capture made before a six-month gap cannot vouch for those six months. This
// makes love "how long" in weeks, not in number of captures, so a user who
// snapshots daily does not love more than one who snapshots monthly.
const MAX_SPAN_MS = 5 * WEEK_MS;

export function findGems(input: GemsInput): Gem[] {
  const window = input.recentWindowMs ?? DEFAULT_RECENT_WINDOW_MS;
  const recentFrom = input.now - window;
  const limit = input.limit ?? 50;
  const mine = <T extends { accountId: string }>(r: readonly T[]) =>
    input.accountId === undefined ? r : r.filter((x) => x.accountId === input.accountId);
  const snaps = [...mine(input.snapshots)].sort((a, b) => a.takenAt - b.takenAt);
  const plays = mine(input.plays);

  const span = new Map<Snapshot, number>();
  const lastOfRange = new Map<string, Snapshot>();
  for (const s of snaps) {
    const prev = lastOfRange.get(s.range);
    if (prev) span.set(prev, Math.min(s.takenAt - prev.takenAt, MAX_SPAN_MS));
    lastOfRange.set(s.range, s);
  }

  const stats = new Map<string, Stats>();
  const get = (id: string): Stats => {
    let st = stats.get(id);
    if (!st) stats.set(id, (st = newStats()));
    return st;
  };
  for (const s of snaps) {
    // rankWeight x range weight x weeks: see ranking.ts for why these shapes.
    const w = RANGE_WEIGHT[s.range] * ((span.get(s) ?? WEEK_MS) / WEEK_MS);
    const ids = s.trackIds;
    for (let i = 0; i < ids.length; i++) {
      const st = get(ids[i]!);
      const rank = i + 1;
      st.love += w * rankWeight(rank);
      if (rank < st.bestRank) st.bestRank = rank;
      if (s.takenAt < st.firstSeen) st.firstSeen = s.takenAt;
      if (s.range === 'short_term' && s.takenAt > st.lastShort) st.lastShort = s.takenAt;
      for (let t = 0; t < 3; t++) {
        // Ranges captured at the same moment count once: snaps are sorted, so
        // a repeat shows up as the same `last`.
        if (rank > TIERS[t]! || st.last[t] === s.takenAt) continue;
        st.count[t] = st.count[t]! + 1;
        if (st.first[t] === Infinity) st.first[t] = s.takenAt;
        st.last[t] = s.takenAt;
      }
    }
  }
  for (let i = 0; i < plays.length; i++) {
    const p = plays[i]!;
    const st = get(p.trackId);
    if (p.playedAt > st.lastPlayed) st.lastPlayed = p.playedAt;
    if (p.msPlayed >= STREAM_THRESHOLD_MS) st.streams++;
  }

  const scored: { id: string; st: Stats; score: number; lastHeard: number | null }[] = [];
  for (const [id, st] of stats) {
    const heard = Math.max(st.lastPlayed, st.lastShort);
    if (heard >= recentFrom) continue;
    // Plays count with a square root: 400 streams is a strong love, but not
    // 20x that of 20 streams (a phase, an album on repeat for a week).
    const love = st.love + 2 * Math.sqrt(st.streams);
    if (love <= 0) continue;
    const lastHeard = heard === -Infinity ? null : heard;
    // Never heard within our records: it only counts as absent once we have
    // watched it stay out of the short-term top for a whole window.
    if (lastHeard === null && st.firstSeen >= recentFrom) continue;
    const absentDays = (input.now - (lastHeard ?? st.firstSeen)) / DAY_MS;
    const score = love * (1 - Math.exp(-Math.max(0, absentDays) / 180));
    if (score > 0) scored.push({ id, st, score, lastHeard });
  }
  scored.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  const gems: Gem[] = scored.slice(0, limit).map(({ id, st, score, lastHeard }) => ({
    trackId: id,
    score,
    source: 'history',
    lastHeard,
    explanation: explain(st, lastHeard, input.zone),
  }));

  // Thin history (few captures, no plays) cannot tell much: the seed's live
  // gems fill in, behind the history ones, under the same recent-window rule.
  const latest = latestByRange(snaps);
  if (gems.length < limit && latest.long_term) {
    const taken = new Set(gems.map((g) => g.trackId));
    for (const id of liveGems(latest.long_term.trackIds, latest.short_term?.trackIds ?? [])) {
      if (gems.length >= limit) break;
      const st = stats.get(id)!;
      if (taken.has(id) || Math.max(st.lastPlayed, st.lastShort) >= recentFrom) continue;
      const rank = latest.long_term.trackIds.indexOf(id) + 1;
      gems.push({
        trackId: id,
        score: 0,
        source: 'live',
        lastHeard: null,
        explanation: `#${rank} in your top tracks of the past year, but not of the past 4 weeks`,
      });
    }
  }
  return gems;
}

function explain(st: Stats, lastHeard: number | null, zone: string): string {
  const parts: string[] = [];
  const t = st.bestRank <= 10 ? 0 : st.bestRank <= 25 ? 1 : 2;
  if (st.count[t] > 0) {
    const n = st.count[t];
    parts.push(
      `in your ${t === 2 ? 'top tracks' : `top ${TIERS[t]}`} in ${n} snapshot${n === 1 ? '' : 's'} ${between(st.first[t], st.last[t], zone)}`,
    );
  }
  if (st.streams > 0) parts.push(`played ${st.streams} time${st.streams === 1 ? '' : 's'}`);
  if (lastHeard === null)
    parts.push(`never in your 4-week top since ${shortMonthLabel(monthOf(zone, st.firstSeen))}`);
  else if (lastHeard === st.lastPlayed)
    parts.push(`not heard since ${shortMonthLabel(monthOf(zone, lastHeard))}`);
  else parts.push(`not in your 4-week top since ${shortMonthLabel(monthOf(zone, lastHeard))}`);
  return parts.join('; ');
}

/** "in Mar 2023", "between Feb and Sep 2023", "between Nov 2022 and Feb 2023". */
function between(from: number, to: number, zone: string): string {
  const a = monthOf(zone, from);
  const b = monthOf(zone, to);
  const la = shortMonthLabel(a);
  const lb = shortMonthLabel(b);
  if (la === lb) return `in ${la}`;
  return a.year === b.year ? `between ${la.slice(0, 3)} and ${lb}` : `between ${la} and ${lb}`;
}
