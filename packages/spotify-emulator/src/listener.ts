// The synthetic listener: who they listen to, when, and for how long.
//
// Taste is a sum of slow curves evaluated per week:
// - each artist has "eras" of interest (a bump in time; some artists come back
//   years later with a smaller bump) on top of a small baseline, and a few
//   lifelong favourites keep a high baseline;
// - each cluster (genre) gains and loses favour over multi-year cycles, and
//   upbeat clusters gain in summer (northern hemisphere);
// - a fresh album from an artist the listener likes gets extra plays for a
//   few months.
// Plays of one day are drawn from a generator seeded by (seed, day) alone, so
// any day can be computed lazily and independently, and the Web API and the
// privacy export see exactly the same plays.
import { type Catalogue, type CatalogueTrack, CLUSTERS, buildCatalogue } from './catalogue.js';
import { type Rng, int, normal, rngFor, searchCumulative } from './random.js';

export const DAY_MS = 86_400_000;
const WEEK_DAYS = 7;
const EPOCH_START_DAY = Math.floor(Date.UTC(2006, 0, 1) / DAY_MS);
const EPOCH_END_DAY = Math.floor(Date.UTC(2034, 0, 1) / DAY_MS);
/** Spotify counts a play as a stream from 30 s on; shorter plays are skips. */
export const STREAM_MS = 30_000;

export interface ModelPlay {
  /** When the play ended (ms epoch), like the export's `ts`. */
  endedAt: number;
  track: number;
  msPlayed: number;
  reasonStart: 'trackdone' | 'clickrow' | 'fwdbtn' | 'playbtn' | 'appload';
  reasonEnd: 'trackdone' | 'fwdbtn' | 'endplay' | 'logout';
  shuffle: boolean;
  platform: string;
  offline: boolean;
}

interface Era {
  centreDay: number;
  widthDays: number;
  amplitude: number;
}

interface WeekDistribution {
  cumulative: Float64Array;
  tracks: Int32Array;
}

export type RangeName = 'short_term' | 'medium_term' | 'long_term';
export const RANGE_DAYS: Record<RangeName, number> = {
  short_term: 28,
  medium_term: 182,
  long_term: 365,
};
export const TOP_LIMIT = 99;

const PLATFORMS = ['android', 'ios', 'windows', 'osx', 'web_player', 'cast_to_device'];

export class Listener {
  readonly catalogue: Catalogue;
  private readonly seed: number;
  private readonly baseline: Float64Array;
  private readonly eras: Era[][];
  private readonly clusterCycle: {
    period: number;
    phase: number;
    depth: number;
    seasonal: number;
  }[];
  private readonly weekCache = new Map<number, WeekDistribution>();
  private readonly dayCache = new Map<number, ModelPlay[]>();
  private readonly dayCountCache = new Map<number, Map<number, number>>();
  private readonly topCache = new Map<string, number[]>();
  private readonly windowCache = new Map<string, Map<number, number>>();
  private readonly platforms: string[];
  private readonly releasedAt: Float64Array;
  private readonly appeal: Float64Array;

  constructor(seed: number, catalogue: Catalogue) {
    this.seed = seed;
    this.catalogue = catalogue;
    const r = rngFor(seed, 'taste');
    const n = catalogue.artists.length;
    this.baseline = new Float64Array(n);
    this.eras = [];
    for (let a = 0; a < n; a++) {
      const lifelong = r() < 0.03;
      this.baseline[a] = lifelong ? 0.6 + r() * 0.8 : 0.004 + r() * 0.02;
      const eras: Era[] = [];
      const roll = r();
      const count = roll < 0.15 ? 0 : roll < 0.7 ? 1 : roll < 0.9 ? 2 : 3;
      let centre = EPOCH_START_DAY + r() * (EPOCH_END_DAY - EPOCH_START_DAY);
      for (let k = 0; k < count; k++) {
        // Later eras are comebacks: years later, usually fainter.
        eras.push({
          centreDay: centre,
          widthDays: 25 + r() * r() * 300,
          amplitude: Math.exp(normal(r) * 0.7) * (k === 0 ? 3 : 1.6),
        });
        centre += 500 + r() * 1800;
      }
      this.eras.push(eras);
    }
    this.clusterCycle = CLUSTERS.map((c) => ({
      period: 900 + r() * 2200,
      phase: r() * Math.PI * 2,
      depth: 0.5 + r() * 0.7,
      seasonal: 1.4 * (c.valence - 0.5 + (c.energy - 0.5) * 0.6),
    }));
    this.releasedAt = Float64Array.from(
      catalogue.tracks,
      (t) => catalogue.albums[t.album]?.releasedAt ?? 0,
    );
    this.appeal = Float64Array.from(catalogue.tracks, (t) => t.appeal);
    this.platforms = [
      PLATFORMS[int(r, 0, 1)] as string,
      PLATFORMS[int(r, 2, 3)] as string,
      'web_player',
      'cast_to_device',
    ];
  }

  /** The listener's interest in an artist on a day, before cluster effects. */
  artistInterest(artist: number, day: number): number {
    let w = this.baseline[artist] as number;
    for (const era of this.eras[artist] as Era[]) {
      const z = (day - era.centreDay) / era.widthDays;
      if (z > -4 && z < 4) w += era.amplitude * Math.exp(-0.5 * z * z);
    }
    return w;
  }

  clusterFavour(cluster: number, day: number): number {
    const c = this.clusterCycle[cluster];
    if (!c) return 1;
    const dayOfYear =
      (day - Math.floor(Date.UTC(new Date(day * DAY_MS).getUTCFullYear(), 0, 1) / DAY_MS)) / 365.25;
    // Peak of summer around mid-July (day ~196).
    const summer = Math.cos(2 * Math.PI * (dayOfYear - 196 / 365.25));
    return Math.exp(
      c.depth * Math.sin((2 * Math.PI * day) / c.period + c.phase) + c.seasonal * summer,
    );
  }

  private week(weekIndex: number): WeekDistribution {
    const cached = this.weekCache.get(weekIndex);
    if (cached) return cached;
    const day = weekIndex * WEEK_DAYS + 3;
    const dayMs = day * DAY_MS;
    const { artists, tracks } = this.catalogue;
    const favour = CLUSTERS.map((_, k) => this.clusterFavour(k, day));
    const weights = new Float64Array(tracks.length);
    const ids = new Int32Array(tracks.length);
    let n = 0;
    let total = 0;
    for (const artist of artists) {
      const interest = this.artistInterest(artist.index, day) * (favour[artist.cluster] as number);
      let appealSum = 0;
      for (const t of artist.tracks)
        if ((this.releasedAt[t] as number) <= dayMs) appealSum += this.appeal[t] as number;
      if (appealSum === 0) continue;
      const hype = Math.min(1, interest);
      for (const t of artist.tracks) {
        const releasedAt = this.releasedAt[t] as number;
        if (releasedAt > dayMs) continue;
        const ageDays = (dayMs - releasedAt) / DAY_MS;
        const fresh = ageDays < 100 ? 1 + 3 * (1 - ageDays / 100) * hype : 1;
        const w = (interest * (this.appeal[t] as number) * fresh) / appealSum;
        weights[n] = w;
        ids[n] = t;
        total += w;
        n++;
      }
    }
    // A share of every week is exploration across the whole released catalogue:
    // it makes the long tail, and sometimes the start of a new era.
    const explore = n > 0 ? (total * 0.1) / n : 0;
    const cumulative = new Float64Array(n);
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += (weights[i] as number) + explore;
      cumulative[i] = acc;
    }
    const dist = { cumulative, tracks: ids.slice(0, n) };
    if (this.weekCache.size > 600) this.weekCache.clear();
    this.weekCache.set(weekIndex, dist);
    return dist;
  }

  private drawTrack(r: Rng, dist: WeekDistribution): number {
    const total = dist.cumulative[dist.cumulative.length - 1] ?? 0;
    if (total <= 0) return -1;
    return dist.tracks[searchCumulative(dist.cumulative, r() * total)] as number;
  }

  /** Plays that STARTED on a day, ordered by end time (some end after midnight). */
  playsOfDay(day: number): ModelPlay[] {
    const cached = this.dayCache.get(day);
    if (cached) return cached;
    const r = rngFor(this.seed, `day:${day}`);
    const dist = this.week(Math.floor(day / WEEK_DAYS));
    const plays: ModelPlay[] = [];
    const weekday = new Date(day * DAY_MS).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const quietDay = r() < 0.04;
    const target = quietDay
      ? 0
      : Math.max(0, Math.round((weekend ? 95 : 76) * Math.exp(normal(r) * 0.35)));
    const { tracks, albums } = this.catalogue;
    if (dist.tracks.length > 0 && target > 0) {
      const sessions = int(r, 1, 4);
      let remaining = target;
      let lastEnd = 0;
      for (let s = 0; s < sessions && remaining > 0; s++) {
        const size =
          s === sessions - 1
            ? remaining
            : Math.max(1, Math.round((remaining / (sessions - s)) * (0.6 + r() * 0.8)));
        remaining -= size;
        const startHour = [7.5, 12.5, 17.5, 20.5][s % 4] as number;
        // One thing plays at a time: a long session pushes the next one back.
        let clock = Math.max(
          day * DAY_MS + Math.floor((startHour + r() * 1.5) * 3_600_000),
          lastEnd + 600_000,
        );
        const shuffle = r() < 0.4;
        const platform = this.platforms[
          r() < 0.75 ? 0 : int(r, 1, this.platforms.length - 1)
        ] as string;
        const offline = platform !== 'web_player' && r() < 0.05;
        let previous = -1;
        for (let k = 0; k < size; k++) {
          // Albums are often played in order: follow with the next track sometimes.
          const prev = previous >= 0 ? tracks[previous] : undefined;
          const album = prev ? albums[prev.album] : undefined;
          const next = album && !shuffle && r() < 0.3 ? album.tracks[prev!.trackNumber] : undefined;
          const t = next ?? this.drawTrack(r, dist);
          if (t < 0) break;
          const track = tracks[t] as CatalogueTrack;
          const roll = r();
          let msPlayed: number;
          let reasonEnd: ModelPlay['reasonEnd'];
          if (roll < 0.13) {
            msPlayed = int(r, 800, 29_000);
            reasonEnd = 'fwdbtn';
          } else if (roll < 0.22) {
            msPlayed = int(r, 30_000, track.durationMs);
            reasonEnd = k === size - 1 ? 'logout' : r() < 0.5 ? 'endplay' : 'fwdbtn';
          } else {
            msPlayed = track.durationMs;
            reasonEnd = 'trackdone';
          }
          clock += msPlayed;
          plays.push({
            // Whole seconds: the export's `ts` has no milliseconds, and the
            // same play must carry the same moment in the API and the export.
            endedAt: Math.floor(clock / 1000) * 1000,
            track: t,
            msPlayed,
            reasonStart:
              k === 0
                ? r() < 0.5
                  ? 'clickrow'
                  : 'appload'
                : next !== undefined || !shuffle
                  ? 'trackdone'
                  : r() < 0.2
                    ? 'clickrow'
                    : 'trackdone',
            reasonEnd,
            shuffle,
            platform,
            offline,
          });
          clock += int(r, 0, 4000);
          previous = t;
        }
        lastEnd = clock;
      }
    }
    plays.sort((a, b) => a.endedAt - b.endedAt);
    if (this.dayCache.size > 1200) this.dayCache.clear();
    this.dayCache.set(day, plays);
    return plays;
  }

  /** Streams (>= 30 s) per track among plays that started on a day. */
  private streamsOfDay(day: number): Map<number, number> {
    const cached = this.dayCountCache.get(day);
    if (cached) return cached;
    const counts = new Map<number, number>();
    for (const p of this.playsOfDay(day)) {
      if (p.msPlayed >= STREAM_MS) counts.set(p.track, (counts.get(p.track) ?? 0) + 1);
    }
    if (this.dayCountCache.size > 4000) this.dayCountCache.clear();
    this.dayCountCache.set(day, counts);
    return counts;
  }

  /**
   * Ranked track indices for a range at time `now`. Like Spotify, the lists
   * are recomputed about once a day: the window ends at the start of the
   * current UTC day, so every call within a day gets the same answer (and the
   * answer is cached per day).
   */
  topTracks(range: RangeName, now: number): number[] {
    const today = Math.floor(now / DAY_MS);
    const key = `t:${range}:${today}`;
    const cached = this.topCache.get(key);
    if (cached) return cached;
    const totals = this.windowTotals(range, today);
    const ranked = [...totals.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, TOP_LIMIT)
      .map(([t]) => t);
    this.remember(key, ranked);
    return ranked;
  }

  topArtists(range: RangeName, now: number): number[] {
    const today = Math.floor(now / DAY_MS);
    const key = `a:${range}:${today}`;
    const cached = this.topCache.get(key);
    if (cached) return cached;
    const totals = this.windowTotals(range, today);
    const byArtist = new Map<number, number>();
    for (const [t, n] of totals) {
      const track = this.catalogue.tracks[t] as CatalogueTrack;
      byArtist.set(track.artist, (byArtist.get(track.artist) ?? 0) + n);
      if (track.featuring >= 0)
        byArtist.set(track.featuring, (byArtist.get(track.featuring) ?? 0) + n * 0.5);
    }
    const ranked = [...byArtist.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, TOP_LIMIT)
      .map(([a]) => a);
    this.remember(key, ranked);
    return ranked;
  }

  /** Window totals are shared by the track and artist rankings of the same day. */
  private windowTotals(range: RangeName, today: number): Map<number, number> {
    const key = `${range}:${today}`;
    const cached = this.windowCache.get(key);
    if (cached) return cached;
    const totals = this.streamsInWindow(today - RANGE_DAYS[range], today);
    if (this.windowCache.size >= 6)
      this.windowCache.delete(this.windowCache.keys().next().value as string);
    this.windowCache.set(key, totals);
    return totals;
  }

  /** Streams per track for plays started on days [fromDay, toDay). */
  streamsInWindow(fromDay: number, toDay: number): Map<number, number> {
    const totals = new Map<number, number>();
    for (let d = fromDay; d < toDay; d++) {
      for (const [t, n] of this.streamsOfDay(d)) totals.set(t, (totals.get(t) ?? 0) + n);
    }
    return totals;
  }

  /**
   * The most recent streams (>= 30 s; skips do not show in recently played)
   * that ended before `now`, newest first.
   */
  recentPlays(now: number, count: number): ModelPlay[] {
    const out: ModelPlay[] = [];
    const today = Math.floor(now / DAY_MS);
    // A quiet spell longer than two weeks simply yields fewer items.
    for (let d = today; d > today - 14 && out.length < count; d--) {
      const plays = this.playsOfDay(d);
      for (let i = plays.length - 1; i >= 0 && out.length < count; i--) {
        const p = plays[i] as ModelPlay;
        if (p.endedAt < now && p.msPlayed >= STREAM_MS) out.push(p);
      }
    }
    // Plays of day d-1 may end after plays of day d started; keep the order exact.
    return out.sort((a, b) => b.endedAt - a.endedAt).slice(0, count);
  }

  private remember(key: string, value: number[]): void {
    if (this.topCache.size > 2000) this.topCache.clear();
    this.topCache.set(key, value);
  }
}

const listeners = new Map<number, Listener>();

/**
 * One listener per seed per process, shared by emulators and the export
 * generator: building the catalogue is the costly part, and the model is
 * deterministic (its caches only ever hold recomputable values).
 */
export function listenerFor(seed: number): Listener {
  let l = listeners.get(seed);
  if (!l) {
    l = new Listener(seed, buildCatalogue(seed));
    listeners.set(seed, l);
  }
  return l;
}
