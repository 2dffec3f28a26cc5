// Mood profiles and how well a track fits one.
import {
  STREAM_THRESHOLD_MS,
  type AudioFeatures,
  type Play,
  type Snapshot,
  type Track,
} from './types.js';
import { RANGE_WEIGHT, artistKey, rankWeight } from './ranking.js';

export const MOOD_FEATURES = [
  'energy',
  'valence',
  'danceability',
  'tempo',
  'acousticness',
  'instrumentalness',
] as const;
export type MoodFeature = (typeof MOOD_FEATURES)[number];
export type FeatureVector = Pick<AudioFeatures, MoodFeature>;

/** Targets are in the features' own units (tempo in BPM); a weight of 0 or a missing one ignores the feature. */
export interface MoodProfile {
  id: string;
  name: string;
  targets: Partial<Record<MoodFeature, number>>;
  weights: Partial<Record<MoodFeature, number>>;
}

export type MoodId = 'workout' | 'chill' | 'happy' | 'melancholy' | 'focus' | 'party';

// Weights say which features define the mood. Workout leans on the seed's
// filter (energy > 0.7, danceability > 0.7, tempo > 120), so a track passing it
// scores high; valence and acousticness only break ties.
export const MOOD_PROFILES: Readonly<Record<MoodId, MoodProfile>> = {
  workout: {
    id: 'workout',
    name: 'Workout',
    targets: { energy: 0.9, danceability: 0.8, tempo: 150, valence: 0.6, acousticness: 0.05 },
    weights: { energy: 3, danceability: 2.5, tempo: 2.5, valence: 0.5, acousticness: 0.5 },
  },
  chill: {
    id: 'chill',
    name: 'Chill',
    targets: {
      energy: 0.3,
      valence: 0.5,
      danceability: 0.5,
      tempo: 90,
      acousticness: 0.7,
      instrumentalness: 0.3,
    },
    weights: {
      energy: 2.5,
      valence: 0.5,
      danceability: 0.5,
      tempo: 1,
      acousticness: 1.5,
      instrumentalness: 0.5,
    },
  },
  happy: {
    id: 'happy',
    name: 'Happy',
    targets: { valence: 0.9, energy: 0.7, danceability: 0.7, tempo: 120, acousticness: 0.3 },
    weights: { valence: 3, energy: 1.5, danceability: 1.5, tempo: 0.5, acousticness: 0.5 },
  },
  melancholy: {
    id: 'melancholy',
    name: 'Melancholy',
    targets: { valence: 0.15, energy: 0.3, acousticness: 0.6, tempo: 80, danceability: 0.35 },
    weights: { valence: 3, energy: 1.5, acousticness: 1, tempo: 0.5, danceability: 0.5 },
  },
  focus: {
    id: 'focus',
    name: 'Focus',
    targets: {
      instrumentalness: 0.85,
      energy: 0.4,
      valence: 0.4,
      acousticness: 0.6,
      tempo: 100,
      danceability: 0.4,
    },
    weights: {
      instrumentalness: 3,
      energy: 1,
      valence: 0.5,
      acousticness: 1,
      tempo: 0.5,
      danceability: 0.5,
    },
  },
  party: {
    id: 'party',
    name: 'Party',
    targets: { danceability: 0.9, energy: 0.85, valence: 0.75, tempo: 124, acousticness: 0.1 },
    weights: { danceability: 3, energy: 2, valence: 1.5, tempo: 1, acousticness: 0.5 },
  },
};

// Nearly all popular music sits between 60 and 200 BPM; mapping that span to
// 0..1 makes a tempo difference comparable with the 0..1 features. Outside it
// we clamp rather than extrapolate, so a 240 BPM drum'n'bass track (often
// reported at double time) is merely "very fast".
export const TEMPO_MIN = 60;
export const TEMPO_MAX = 200;
export const normaliseTempo = (bpm: number): number =>
  clamp01((bpm - TEMPO_MIN) / (TEMPO_MAX - TEMPO_MIN));

function unit(f: MoodFeature, v: number): number {
  return f === 'tempo' ? normaliseTempo(v) : clamp01(v);
}

/**
 * 1 - weighted mean absolute distance to the targets, in [0, 1]: 1 exactly
 * when every weighted feature equals its target. A profile with no weight
 * fits everything equally (1).
 */
export function moodScore(f: FeatureVector, profile: MoodProfile): number {
  return compiledScore(f, compile(profile));
}

interface Compiled {
  w: number[];
  t: number[];
  total: number;
}

// The profile flattened into arrays in MOOD_FEATURES order, so scoring
// thousands of tracks reads plain numbers instead of looking keys up.
function compile(profile: MoodProfile): Compiled {
  const w: number[] = [];
  const t: number[] = [];
  let total = 0;
  for (const k of MOOD_FEATURES) {
    const weight = profile.weights[k] ?? 0;
    const target = profile.targets[k];
    const used = weight > 0 && target !== undefined;
    w.push(used ? weight : 0);
    t.push(used ? unit(k, target) : 0);
    if (used) total += weight;
  }
  return { w, t, total };
}

function compiledScore(f: FeatureVector, c: Compiled): number {
  if (c.total === 0) return 1;
  const { w, t } = c;
  const dist =
    w[0]! * Math.abs(clamp01(f.energy) - t[0]!) +
    w[1]! * Math.abs(clamp01(f.valence) - t[1]!) +
    w[2]! * Math.abs(clamp01(f.danceability) - t[2]!) +
    w[3]! * Math.abs(normaliseTempo(f.tempo) - t[3]!) +
    w[4]! * Math.abs(clamp01(f.acousticness) - t[4]!) +
    w[5]! * Math.abs(clamp01(f.instrumentalness) - t[5]!);
  return clamp01(1 - dist / c.total);
}

const DESCRIBE: Record<MoodFeature, (v: number) => string> = {
  energy: (v) => `${v >= 0.6 ? 'high' : v <= 0.4 ? 'low' : 'medium'} energy (${v.toFixed(2)})`,
  valence: (v) => `${v >= 0.6 ? 'upbeat' : v <= 0.4 ? 'sombre' : 'even'} mood (${v.toFixed(2)})`,
  danceability: (v) =>
    `${v >= 0.6 ? 'danceable' : v <= 0.4 ? 'not for dancing' : 'some groove'} (${v.toFixed(2)})`,
  tempo: (v) => `${Math.round(v)} BPM`,
  acousticness: (v) =>
    `${v >= 0.6 ? 'acoustic' : v <= 0.4 ? 'electric' : 'partly acoustic'} (${v.toFixed(2)})`,
  instrumentalness: (v) =>
    `${v >= 0.6 ? 'instrumental' : v <= 0.4 ? 'with vocals' : 'mostly instrumental'} (${v.toFixed(2)})`,
};

/** "high energy (0.86), 148 BPM": the (at most two) weightiest features that sit close to their targets. */
export function whyItFits(f: FeatureVector, profile: MoodProfile): string {
  const fits = MOOD_FEATURES.filter(
    (k) => (profile.weights[k] ?? 0) > 0 && profile.targets[k] !== undefined,
  )
    .map((k) => ({
      k,
      diff: Math.abs(unit(k, f[k]) - unit(k, profile.targets[k]!)),
      w: profile.weights[k]!,
    }))
    .sort((a, b) => b.w * (1 - b.diff) - a.w * (1 - a.diff));
  const close = fits.filter((x) => x.diff <= 0.2).slice(0, 2);
  if (close.length === 0)
    return fits[0] ? `closest on ${DESCRIBE[fits[0].k](f[fits[0].k])}` : 'no mood data to compare';
  return close.map((x) => DESCRIBE[x.k](f[x.k])).join(', ');
}

export interface MoodPick {
  track: Track;
  score: number;
  why: string;
}

export interface MoodSelection {
  picks: MoodPick[];
  /** Candidates without audio features: neither scored nor dropped, so the UI can say "N tracks have no mood data yet". */
  withoutFeatures: Track[];
}

export interface MoodSelectionInput {
  /** Candidates in a meaningful fallback order (ties keep it), e.g. most loved first. */
  tracks: readonly Track[];
  features: ReadonlyMap<string, FeatureVector>;
  profile: MoodProfile;
  /** Default 30. */
  limit?: number;
  /** At most this many picks per primary artist; default 3. */
  perArtist?: number;
}

/**
 * Best-fitting tracks for a profile. The artist cap counts the first credited
 * artist only: counting featured artists too would let one prolific guest
 * block every other artist's songs.
 */
export function selectForMood(input: MoodSelectionInput): MoodSelection {
  const limit = input.limit ?? 30;
  const perArtist = input.perArtist ?? 3;
  const compiled = compile(input.profile);
  const scored: { track: Track; f: FeatureVector; score: number; i: number }[] = [];
  const withoutFeatures: Track[] = [];
  const seen = new Set<string>();
  input.tracks.forEach((track, i) => {
    if (seen.has(track.id)) return;
    seen.add(track.id);
    const f = input.features.get(track.id);
    if (f) scored.push({ track, f, score: compiledScore(f, compiled), i });
    else withoutFeatures.push(track);
  });
  // Only the best few hundred can be picked: cut at a score threshold found
  // with a native numeric sort, and sort that head with the full comparator.
  // The artist cap can exhaust a head, in which case it widens.
  const sortedScores = Float64Array.from(scored, (s) => s.score).sort();
  for (let head = Math.max(4 * limit, 100); ; head *= 4) {
    const threshold = head >= scored.length ? -Infinity : sortedScores[scored.length - head]!;
    const candidates = scored
      .filter((s) => s.score >= threshold)
      .sort((a, b) => b.score - a.score || a.i - b.i);
    const picks = pick(candidates, limit, perArtist, input.profile);
    if (picks.length >= limit || threshold === -Infinity) return { picks, withoutFeatures };
  }
}

function pick(
  ranked: readonly { track: Track; f: FeatureVector; score: number }[],
  limit: number,
  perArtist: number,
  profile: MoodProfile,
): MoodPick[] {
  const perArtistCount = new Map<string, number>();
  const picks: MoodPick[] = [];
  for (const s of ranked) {
    if (picks.length >= limit) break;
    const lead = s.track.artists[0];
    const key = lead ? artistKey(lead) : `track:${s.track.id}`;
    const n = perArtistCount.get(key) ?? 0;
    if (n >= perArtist) continue;
    perArtistCount.set(key, n + 1);
    picks.push({ track: s.track, score: s.score, why: whyItFits(s.f, profile) });
  }
  return picks;
}

function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

/**
 * Every track a history mentions, most loved first: one point per counted
 * stream, plus each top-list appearance weighted by rank and range. The mood
 * page scores tracks in this order so that ties between equal scores favour
 * the songs the person actually cared about.
 */
export function loveOrder(snapshots: readonly Snapshot[], plays: readonly Play[]): string[] {
  const love = new Map<string, number>();
  const add = (id: string, w: number) => love.set(id, (love.get(id) ?? 0) + w);
  for (const s of snapshots)
    s.trackIds.forEach((id, i) => add(id, rankWeight(i + 1) * RANGE_WEIGHT[s.range]));
  for (const p of plays) add(p.trackId, p.msPlayed >= STREAM_THRESHOLD_MS ? 1 : 0);
  return [...love.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id]) => id);
}
