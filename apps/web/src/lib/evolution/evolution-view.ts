// The evolution page's numbers and the sentences that say them. Every chart
// has a summary in words, for screen readers and for anyone who would rather
// read "40% of your top tracks changed" than a line.
import {
  evolution,
  hemisphereOf,
  summerVsWinter,
  topListsPerPeriod,
  turnoverSeries,
  type EvolutionPoint,
  type FeatureVector,
  type Period,
  type SeasonalFinding,
  type TurnoverPoint,
} from '@mtm/core';
import type { History } from '../db/history';

/** What the evolution page charts: a history (lib/db's, read with its features). */
export type EvolutionData = Pick<History, 'snapshots' | 'plays' | 'tracks' | 'zone'> & {
  features: ReadonlyMap<string, FeatureVector>;
};

export interface EvolutionView {
  turnover: TurnoverPoint[];
  points: EvolutionPoint[];
  seasons: EvolutionPoint[];
  findings: SeasonalFinding[];
  summary: { turnover: string; mood: string; churn: string; seasons: string };
}

const PERIOD_WORD: Record<Period, string> = { month: 'month', season: 'season', year: 'year' };

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
  // the average is over neighbours only: a change across empty periods is
  // many periods' change at once, not one more period's (issue 14)
  const adjacent = compared.filter((p) => p.skipped === 0);
  const avg = adjacent.length > 0 ? mean(adjacent.map((p) => p.jaccard!)) : null;
  const change = `${prev.label} to ${last.label}, ${pct(last.jaccard!)} of your top tracks changed (${pct(last.rankAware!)} when the top of the list counts more): ${last.entered} came in and ${last.exited} dropped out.`;
  const gap = last.skipped === 1 ? word : `${last.skipped} ${word}s`;
  return (
    (last.skipped > 0
      ? `Your diary has no top tracks for the ${gap} between ${prev.label} and ${last.label}, so this is not a change from one ${word} to the next: from ${change}`
      : `From ${change}`) +
    (adjacent.length > 1 && avg !== null
      ? ` On average ${pct(avg)} change from one ${word} to the next.`
      : '')
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
  // periods with no listening between the two: say what is compared (issue 14)
  const between = prev ? points.indexOf(last) - points.indexOf(prev) - 1 : 0;
  const against =
    prev && between > 0
      ? ` (compared with ${prev.label}: your diary has nothing for the ${between === 1 ? 'period' : `${between} periods`} between)`
      : '';
  if (came.length === 0 && went.length === 0)
    return `In ${last.label} your top artists were the same as ${prev && between > 0 ? `in ${prev.label}` : 'before'}.`;
  return `In ${last.label}${against}, ${came.length} ${came.length === 1 ? 'artist' : 'artists'} came into your top artists${came.length ? ` (${list(came)})` : ''} and ${went.length} left${went.length ? ` (${list(went)})` : ''}.`;
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
