// "Your summers are 18% more upbeat than your winters", said only when the data supports it.
import type { EvolutionPoint } from './evolution.js';

const WORDS = {
  valence: 'upbeat',
  energy: 'energetic',
  danceability: 'danceable',
  acousticness: 'acoustic',
} as const;
export type SeasonalFeature = keyof typeof WORDS;

export interface SeasonalFinding {
  feature: SeasonalFeature;
  higher: 'summer' | 'winter';
  /** Mean over the qualifying seasons of each season's mean. */
  summer: number;
  winter: number;
  /** How much higher the higher side is, relative to the lower, rounded. */
  percent: number;
  seasons: { summer: number; winter: number };
  text: string;
}

export interface SeasonalOptions {
  /** Qualifying seasons needed on each side; default 2 ("your summers" is plural). */
  minSeasons?: number;
  /** Distinct tracks with features a season needs to qualify; default 20. */
  minTracks?: number;
  /** Share of a season's listening that must have features; default 0.5. */
  minCoverage?: number;
  /** Smallest difference worth saying, in percent; default 5. */
  minPercent?: number;
}

/**
 * Compares summers with winters over `evolution(..., period: 'season')`
 * points (the hemisphere was applied there). Each season counts once, however
 * much was played in it, so one obsessive summer cannot speak for all. A
 * difference is reported only when it is larger than the spread between
 * seasons of the same kind (|t| >= 2, Welch) and at least `minPercent`.
 */
export function summerVsWinter(
  points: readonly EvolutionPoint[],
  o: SeasonalOptions = {},
): SeasonalFinding[] {
  const minSeasons = Math.max(2, o.minSeasons ?? 2);
  const ok = (p: EvolutionPoint) =>
    p.mood !== null &&
    p.tracksWithFeatures >= (o.minTracks ?? 20) &&
    p.coverage >= (o.minCoverage ?? 0.5);
  const summers = points.filter((p) => p.season === 'summer' && ok(p));
  const winters = points.filter((p) => p.season === 'winter' && ok(p));
  if (summers.length < minSeasons || winters.length < minSeasons) return [];
  const findings: SeasonalFinding[] = [];
  for (const feature of Object.keys(WORDS) as SeasonalFeature[]) {
    const s = stats(summers.map((p) => p.mood![feature]));
    const w = stats(winters.map((p) => p.mood![feature]));
    const se = Math.sqrt(s.variance / summers.length + w.variance / winters.length);
    const gap = Math.abs(s.mean - w.mean);
    if (gap === 0 || gap < 2 * se) continue;
    const higher = s.mean > w.mean ? 'summer' : 'winter';
    const [hi, lo] = higher === 'summer' ? [s.mean, w.mean] : [w.mean, s.mean];
    if (!(lo > 0)) continue;
    const percent = Math.round(((hi - lo) / lo) * 100);
    if (percent < (o.minPercent ?? 5)) continue;
    const lower = higher === 'summer' ? 'winter' : 'summer';
    findings.push({
      feature,
      higher,
      summer: s.mean,
      winter: w.mean,
      percent,
      seasons: { summer: summers.length, winter: winters.length },
      text: `your ${higher}s are ${percent}% more ${WORDS[feature]} than your ${lower}s`,
    });
  }
  return findings.sort((a, b) => b.percent - a.percent);
}

function stats(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance =
    xs.length < 2 ? 0 : xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}
