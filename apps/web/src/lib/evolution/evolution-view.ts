// The evolution page's numbers and the sentences that say them. Every chart
// has a summary in words, for screen readers and for anyone who would rather
// read "40% of your top tracks changed" than a line.
import {
  STREAM_THRESHOLD_MS,
  evolution,
  periodGrid,
  summerVsWinter,
  turnoverSeries,
  type EvolutionPoint,
  type FeatureVector,
  type Hemisphere,
  type Period,
  type Play,
  type SeasonalFinding,
  type Snapshot,
  type Track,
  type TurnoverPoint,
} from '@mtm/core';
import type { TimeMachineDb } from '$lib/db/schema';
import { allSnapshots } from '$lib/db/snapshots';
import { allPlays } from '$lib/db/plays';
import { getFeatures } from '$lib/db/features';
import { getTracks } from '$lib/db/tracks';
import { effectiveTimeZone, loadSettings } from '$lib/db/settings';

export interface EvolutionData {
  snapshots: Snapshot[];
  plays: Play[];
  tracks: Map<string, Track>;
  features: Map<string, FeatureVector>;
  zone: string;
}

export interface EvolutionView {
  turnover: TurnoverPoint[];
  points: EvolutionPoint[];
  seasons: EvolutionPoint[];
  findings: SeasonalFinding[];
  summary: { turnover: string; mood: string; churn: string; seasons: string };
}

const PERIOD_WORD: Record<Period, string> = { month: 'month', season: 'season', year: 'year' };

// Seasons flip south of the equator; the time zone is the one hint about
// where the person lives that the app has without asking.
const SOUTH =
  /^(Australia|Antarctica)\/|^Pacific\/(Auckland|Chatham|Fiji|Tongatapu|Noumea)$|^America\/(Argentina|Santiago|Sao_Paulo|Montevideo|Asuncion|La_Paz|Lima)|^Africa\/(Johannesburg|Maputo|Harare|Lusaka|Windhoek|Gaborone|Maseru|Mbabane)$|^Indian\/(Mauritius|Reunion|Antananarivo)$/;
export function hemisphereOf(zone: string): Hemisphere {
  return SOUTH.test(zone) ? 'south' : 'north';
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function turnoverSummary(points: readonly TurnoverPoint[], period: Period): string {
  const compared = points.filter((p) => p.jaccard !== null && p.rankAware !== null);
  const word = PERIOD_WORD[period];
  if (compared.length === 0) {
    return `Turnover needs top tracks from at least two ${word}s; your diary has ${points.length === 0 ? 'none' : 'one'} so far.`;
  }
  const last = compared[compared.length - 1]!;
  const prev = points[points.indexOf(last) - 1]!;
  const avg = mean(compared.map((p) => p.jaccard!));
  return (
    `From ${prev.label} to ${last.label}, ${pct(last.jaccard!)} of your top tracks changed (${pct(last.rankAware!)} when the top of the list counts more): ${last.entered} came in and ${last.exited} dropped out.` +
    (compared.length > 1 ? ` On average ${pct(avg)} change from one ${word} to the next.` : '')
  );
}

export function moodSummary(points: readonly EvolutionPoint[]): string {
  const withMood = points.filter((p) => p.mood !== null);
  if (withMood.length === 0)
    return 'No mood data yet: fetch the missing mood data on the Moods page to see how your energy and happiness moved.';
  const first = withMood[0]!;
  const last = withMood[withMood.length - 1]!;
  const e = mean(withMood.map((p) => p.mood!.energy));
  const v = mean(withMood.map((p) => p.mood!.valence));
  if (withMood.length === 1)
    return `In ${first.label} your music had energy ${e.toFixed(2)} and happiness ${v.toFixed(2)} (0 to 1).`;
  return `Energy averaged ${e.toFixed(2)} (from ${first.mood!.energy.toFixed(2)} in ${first.label} to ${last.mood!.energy.toFixed(2)} in ${last.label}); happiness averaged ${v.toFixed(2)} (from ${first.mood!.valence.toFixed(2)} to ${last.mood!.valence.toFixed(2)}).`;
}

const names = (keys: readonly string[], p: EvolutionPoint, prev: EvolutionPoint | undefined) =>
  keys.map(
    (k) =>
      p.topArtists.find((a) => a.key === k)?.name ??
      prev?.topArtists.find((a) => a.key === k)?.name ??
      k,
  );

export function churnSummary(points: readonly EvolutionPoint[]): string {
  const withChurn = points.filter((p) => p.artistChurn !== null);
  if (withChurn.length === 0) return 'Artist churn needs at least two periods of listening.';
  const last = withChurn[withChurn.length - 1]!;
  const prev = points
    .slice(0, points.indexOf(last))
    .reverse()
    .find((p) => p.basis !== 'none');
  const c = last.artistChurn!;
  const came = names(c.entered, last, prev);
  const went = names(c.exited, prev ?? last, last);
  const list = (xs: string[]) =>
    xs.length > 3 ? `${xs.slice(0, 3).join(', ')} and ${xs.length - 3} more` : xs.join(', ');
  if (came.length === 0 && went.length === 0)
    return `In ${last.label} your top artists were the same as before.`;
  return `In ${last.label}, ${came.length} ${came.length === 1 ? 'artist' : 'artists'} came into your top artists${came.length ? ` (${list(came)})` : ''} and ${went.length} left${went.length ? ` (${list(went)})` : ''}.`;
}

export function seasonsSummary(findings: readonly SeasonalFinding[]): string {
  if (findings.length === 0)
    return 'Not enough summers and winters with mood data yet to compare them honestly (it needs two of each), or they sound alike.';
  const [first, ...rest] = findings;
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return (
    `${cap(first!.text)}.` + (rest.length ? ` Also: ${rest.map((f) => f.text).join('; ')}.` : '')
  );
}

const TOP_SIZE = 50;

/**
 * The lists turnover compares, one per period: where the period has plays
 * (an imported history, recently-played captures), its 50 most-streamed
 * tracks; otherwise its last short-term snapshot. Without this an imported
 * history of years, which has plays but no snapshots, would have no turnover
 * at all. Each list is dated at its period's start, so turnoverSeries puts it
 * back in the same period.
 */
export function topListsPerPeriod(
  d: Pick<EvolutionData, 'snapshots' | 'plays' | 'zone'>,
  period: Period,
  hemisphere: Hemisphere,
): Snapshot[] {
  const short = d.snapshots.filter((s) => s.range === 'short_term');
  const streams = d.plays.filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS);
  if (streams.length === 0) return short;
  let from = Infinity;
  let to = -Infinity;
  for (const t of [...streams.map((p) => p.playedAt), ...short.map((s) => s.takenAt)]) {
    if (t < from) from = t;
    if (t > to) to = t;
  }
  const grid = periodGrid(d.zone, from, to, period, hemisphere);
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
      .slice(0, TOP_SIZE)
      .map(([id]) => id);
    out.push({
      id: `plays:${span.key}`,
      accountId: d.snapshots[0]?.accountId ?? streams[0]!.accountId,
      takenAt: span.start,
      range: 'short_term',
      trackIds,
    });
  });
  const played = new Set(out.map((s) => grid.locate(s.takenAt)));
  return [...out, ...short.filter((s) => !played.has(grid.locate(s.takenAt)))];
}

export function buildEvolutionView(d: EvolutionData, period: Period): EvolutionView {
  const hemisphere = hemisphereOf(d.zone);
  const turnover = turnoverSeries(topListsPerPeriod(d, period, hemisphere), {
    range: 'short_term',
    period,
    zone: d.zone,
    hemisphere,
  });
  const base = {
    plays: d.plays,
    snapshots: d.snapshots,
    features: d.features,
    tracks: d.tracks,
    zone: d.zone,
    hemisphere,
  };
  const points = evolution({ ...base, period });
  const seasons = period === 'season' ? points : evolution({ ...base, period: 'season' });
  const findings = summerVsWinter(seasons);
  return {
    turnover,
    points,
    seasons,
    findings,
    summary: {
      turnover: turnoverSummary(turnover, period),
      mood: moodSummary(points),
      churn: churnSummary(points),
      seasons: seasonsSummary(findings),
    },
  };
}

export async function loadEvolutionData(
  db: TimeMachineDb,
  accountId: string,
): Promise<EvolutionData> {
  const [snapshots, plays, settings] = await Promise.all([
    allSnapshots(db, accountId),
    allPlays(db, accountId),
    loadSettings(db, accountId),
  ]);
  const ids = new Set<string>();
  for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
  for (const p of plays) ids.add(p.trackId);
  const [tracks, features] = await Promise.all([getTracks(db, ids), getFeatures(db, ids)]);
  return { snapshots, plays, tracks, features, zone: effectiveTimeZone(settings) };
}
