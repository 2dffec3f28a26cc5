// How taste moved over time: per period, the mean mood, the top artists, and artist churn.
import { MOOD_FEATURES, type FeatureVector, type MoodFeature } from './mood.js';
import { historyExtent, periodGrid, type Hemisphere, type Period, type Season } from './periods.js';
import { ArtistCounter, rankWeight, type ArtistTally } from './ranking.js';
import { jaccardTurnover, rankedDiff } from './turnover.js';
import { tallyStreams } from './tally.js';
import type { Play, Snapshot, TimeRange, Track } from './types.js';

export interface EvolutionInput {
  plays: readonly Play[];
  snapshots: readonly Snapshot[];
  features: ReadonlyMap<string, FeatureVector>;
  tracks: ReadonlyMap<string, Track>;
  zone: string;
  period: Period;
  hemisphere?: Hemisphere;
  accountId?: string;
  /** 'auto' (default): plays where a period has streams, else snapshot ranks. */
  weighting?: 'auto' | 'plays' | 'rank';
  /** Range whose snapshots give rank weights; default short_term (closest to "this period"). */
  range?: TimeRange;
  /** Top artists listed per period and compared for churn; default 10. */
  topArtists?: number;
}

export type MoodMeans = Record<MoodFeature, number>;

export interface EvolutionPoint {
  key: string;
  label: string;
  start: number;
  end: number;
  season: Season | null;
  basis: 'plays' | 'rank' | 'none';
  /** Weighted mean of the features of the period's tracks; null when none has features. */
  mood: MoodMeans | null;
  /** Share of the period's weight carried by tracks with features, 0..1. */
  coverage: number;
  /** Distinct tracks with features behind `mood`. */
  tracksWithFeatures: number;
  topArtists: ArtistTally[];
  /** Against the previous period with data; null for the first. */
  artistChurn: { entered: string[]; exited: string[]; turnover: number } | null;
}

export function evolution(input: EvolutionInput): EvolutionPoint[] {
  const acc = input.accountId;
  const plays = acc === undefined ? input.plays : input.plays.filter((p) => p.accountId === acc);
  const range = input.range ?? 'short_term';
  const snaps = input.snapshots.filter(
    (s) => s.range === range && (acc === undefined || s.accountId === acc),
  );
  const extent = historyExtent(plays, snaps);
  if (!extent) return [];
  const grid = periodGrid(input.zone, extent.from, extent.to, input.period, input.hemisphere);
  const n = grid.periods.length;
  const weighting = input.weighting ?? 'auto';

  const tally = tallyStreams(weighting === 'rank' ? [] : plays, grid.locate, n);
  // Features and artists looked up once per distinct track, not once per period.
  const featureOf = tally.trackIds.map((id) => input.features.get(id));
  const snapsOf: Snapshot[][] = Array.from({ length: n }, () => []);
  if (weighting !== 'plays') for (const s of snaps) snapsOf[grid.locate(s.takenAt)]!.push(s);
  const counter = new ArtistCounter(input.tracks);
  const artistsOfPlayed = tally.trackIds.map((id) => counter.artistsOf(id));

  const k = input.topArtists ?? 10;
  const out: EvolutionPoint[] = [];
  let prevArtists: string[] | null = null;
  grid.periods.forEach((p, i) => {
    const streamed = tally.periods[i]!;
    const usePlays = streamed.tracks.length > 0;
    // Rank weights are only built for periods without plays, where they are used.
    const byRank = usePlays ? null : rankWeights(snapsOf[i]!);
    const basis = usePlays ? 'plays' : byRank!.size > 0 ? 'rank' : 'none';
    // Several snapshots in one period each add a full top list; dividing by
    // their count keeps rank-based artist weights comparable across periods.
    const scale = usePlays ? 1 : 1 / Math.max(1, snapsOf[i]!.length);
    const sums: [number, number, number, number, number, number] = [0, 0, 0, 0, 0, 0];
    let total = 0;
    let covered = 0;
    let withFeatures = 0;
    const add = (w: number, artists: readonly number[], f: FeatureVector | undefined) => {
      total += w;
      counter.add(artists, w * scale);
      if (!f) return;
      covered += w;
      withFeatures++;
      sums[0] += w * f.energy;
      sums[1] += w * f.valence;
      sums[2] += w * f.danceability;
      sums[3] += w * f.tempo;
      sums[4] += w * f.acousticness;
      sums[5] += w * f.instrumentalness;
    };
    if (usePlays) {
      for (let j = 0; j < streamed.tracks.length; j++)
        add(
          streamed.streams[j]!,
          artistsOfPlayed[streamed.tracks[j]!]!,
          featureOf[streamed.tracks[j]!],
        );
    } else {
      for (const [id, w] of byRank!) add(w, counter.artistsOf(id), input.features.get(id));
    }
    const top = counter.take(k);
    const keys = top.map((a) => a.key);
    let churn: EvolutionPoint['artistChurn'] = null;
    if (basis !== 'none') {
      if (prevArtists) {
        const d = rankedDiff(prevArtists, keys);
        churn = {
          entered: d.entered,
          exited: d.exited,
          turnover: jaccardTurnover(prevArtists, keys),
        };
      }
      prevArtists = keys;
    }
    out.push({
      key: p.key,
      label: p.label,
      start: p.start,
      end: p.end,
      season: p.season,
      basis,
      mood:
        covered > 0
          ? (Object.fromEntries(MOOD_FEATURES.map((f, j) => [f, sums[j]! / covered])) as MoodMeans)
          : null,
      coverage: total > 0 ? covered / total : 0,
      tracksWithFeatures: withFeatures,
      topArtists: top,
      artistChurn: churn,
    });
  });
  return out;
}

function rankWeights(snapshots: readonly Snapshot[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of snapshots)
    s.trackIds.forEach((id, r) => m.set(id, (m.get(id) ?? 0) + rankWeight(r + 1)));
  return m;
}
