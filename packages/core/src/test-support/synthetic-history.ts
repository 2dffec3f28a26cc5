// A deterministic ten-year listening history for benchmarks: taste drifts
// slowly through a 5,000-track catalogue, as the emulator's listener does.
import type { FeatureVector } from '../mood.js';
import type { Play, Snapshot, TimeRange, Track } from '../types.js';

export interface SyntheticHistory {
  tracks: Track[];
  trackMap: Map<string, Track>;
  features: Map<string, FeatureVector>;
  snapshots: Snapshot[];
  plays: Play[];
  from: number;
  now: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEEK = 7 * 86_400_000;
const SPREAD: Record<TimeRange, number> = { short_term: 60, medium_term: 200, long_term: 500 };

export function syntheticHistory(
  o: { weeks?: number; plays?: number; tracks?: number; seed?: number } = {},
): SyntheticHistory {
  const weeks = o.weeks ?? 520;
  const nTracks = o.tracks ?? 5000;
  const nPlays = o.plays ?? 300_000;
  const rnd = mulberry32(o.seed ?? 42);
  const from = Date.UTC(2016, 0, 4, 9);
  const now = from + weeks * WEEK;
  const tracks: Track[] = [];
  const features = new Map<string, FeatureVector>();
  for (let i = 0; i < nTracks; i++) {
    const artist = `artist${i % 800}`;
    const t: Track = {
      id: `track${i}`,
      name: `Song ${i}`,
      artists: [{ id: artist, name: `Artist ${i % 800}` }],
      album: { id: `album${i % 1500}`, name: `Album ${i % 1500}`, imageUrl: null },
      durationMs: 200_000,
      isrc: null,
    };
    tracks.push(t);
    if (rnd() < 0.9) {
      features.set(t.id, {
        energy: rnd(),
        valence: rnd(),
        danceability: rnd(),
        tempo: 60 + 140 * rnd(),
        acousticness: rnd(),
        instrumentalness: rnd(),
      });
    }
  }
  // The centre of taste walks through the catalogue over the decade.
  const centre = (t: number) => Math.floor(((t - from) / (now - from)) * (nTracks - 600)) + 300;
  const pick = (t: number, spread: number) => {
    const i = centre(t) + Math.round((rnd() + rnd() + rnd() - 1.5) * spread);
    return `track${Math.min(nTracks - 1, Math.max(0, i))}`;
  };
  const snapshots: Snapshot[] = [];
  for (let w = 0; w < weeks; w++) {
    const takenAt = from + w * WEEK;
    for (const range of ['short_term', 'medium_term', 'long_term'] as const) {
      const ids = new Set<string>();
      while (ids.size < 50) ids.add(pick(takenAt, SPREAD[range]));
      snapshots.push({
        id: `acc:${range}:${takenAt}`,
        accountId: 'acc',
        takenAt,
        range,
        trackIds: [...ids],
      });
    }
  }
  const plays: Play[] = [];
  const step = (now - from) / nPlays;
  for (let i = 0; i < nPlays; i++) {
    const playedAt = Math.floor(from + i * step + rnd() * step);
    plays.push({
      accountId: 'acc',
      playedAt,
      trackId: pick(playedAt, 80),
      msPlayed: rnd() < 0.2 ? Math.floor(rnd() * 30_000) : 200_000,
      source: 'export',
    });
  }
  return {
    tracks,
    trackMap: new Map(tracks.map((t) => [t.id, t])),
    features,
    snapshots,
    plays,
    from,
    now,
  };
}
