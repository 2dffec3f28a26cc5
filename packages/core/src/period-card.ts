// A card for any period: your own Wrapped for a month, a season, a year,
// "since I started" or any two dates. Every number comes from the plays that
// ended in [from, to), found by binary search over the play timeline
// (play-timeline.ts), so one month's card reads one month's plays however
// long the diary is. Counts are kept in typed arrays indexed by the
// timeline's interned tracks and reset through the list of tracks touched,
// as tally.ts does, because a string-keyed Map update per play would cost
// more than everything else together.
import { MOOD_FEATURES, MOOD_PROFILES, moodScore, type MoodId } from './mood.js';
import type { MoodMeans } from './evolution.js';
import { dateOfDay, type LocalDate } from './local-days.js';
import { playRange, type PlayTimeline } from './play-timeline.js';
import { STREAM_THRESHOLD_MS, type AudioFeatures } from './types.js';
import type { FeatureVector } from './mood.js';

export interface CardTrack {
  trackId: string;
  streams: number;
  minutes: number;
}
export interface CardArtist {
  key: string;
  name: string;
  streams: number;
}

export interface PeriodCard {
  from: number;
  to: number;
  plays: number;
  /** Plays of at least 30 s, the way Spotify counts streams. */
  streams: number;
  /** Exact sum of msPlayed: adding two adjacent periods gives the union's. */
  msPlayed: number;
  minutes: number;
  topTracks: CardTrack[];
  topArtists: CardArtist[];
  /** Tracks whose first play in the whole diary ended in this period. */
  discoveries: { count: number; top: CardTrack[] };
  /** The most streams one track had in one day. */
  mostReplayed: { trackId: string; date: LocalDate; streams: number } | null;
  /** The day with the most minutes. */
  topDay: { date: LocalDate; streams: number; minutes: number } | null;
  /** The longest run of consecutive days with at least one stream. */
  longestStreak: { days: number; first: LocalDate; last: LocalDate } | null;
  /** Days with at least one stream. */
  activeDays: number;
  /** Streams per local weekday (0 = Monday) and hour: `clock[weekday * 24 + hour]`. */
  clock: number[];
  /** Stream-weighted audio features and the closest mood, when enough tracks have them. */
  mood: { means: MoodMeans; closest: MoodId; coverage: number; tracks: number } | null;
  /** How many of the previous period's top tracks are in this period's top list. */
  survival: { label: string; previousTop: number; survived: number } | null;
  /** Where the card has too little to go on: the page says so instead of inventing. */
  littleData: {
    /** Fewer than MIN_CARD_STREAMS streams. */
    fewStreams: boolean;
    /** No mood: too few of the period's streams have audio features. */
    noMood: boolean;
    /** No previous period to compare with (none asked, or no streams in it). */
    noPrevious: boolean;
    /**
     * The diary's first play is inside the period, not before it: the period's
     * start is simply not in the diary, so its totals are not the period's.
     */
    diaryStartsInside: LocalDate | null;
  };
}

export interface PeriodCardInput {
  timeline: PlayTimeline;
  from: number;
  to: number;
  features?: ReadonlyMap<string, FeatureVector | AudioFeatures>;
  previous?: { from: number; to: number; label: string } | null;
  /** Length of the top lists; default 5. */
  limit?: number;
}

/** Below this many streams a card says "not much to go on" rather than crowning a top track. */
export const MIN_CARD_STREAMS = 20;
/** The top list compared with the previous period's. */
export const SURVIVAL_TOP = 10;
const MOOD_MIN_COVERAGE = 0.5;
const MOOD_MIN_TRACKS = 5;

export function checkSpan(from: number, to: number): void {
  if (!(Number.isFinite(from) && Number.isFinite(to)))
    throw new RangeError('A period needs a real start and end date.');
  if (!(from < to))
    throw new RangeError(
      `A period must start before it ends: ${new Date(from).toISOString()} is not before ${new Date(to).toISOString()}.`,
    );
}

/** The `k` best of `items` by `better` (a strict order), best first: a selection, not a sort of all. */
function topK(
  items: Int32Array,
  count: number,
  k: number,
  better: (a: number, b: number) => boolean,
): number[] {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const x = items[i]!;
    if (out.length === k && !better(x, out[k - 1]!)) continue;
    let j = out.length < k ? out.length : k - 1;
    while (j > 0 && better(x, out[j - 1]!)) {
      out[j] = out[j - 1]!;
      j--;
    }
    out[j] = x;
  }
  return out;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export function periodCard(input: PeriodCardInput): PeriodCard {
  const { timeline: tl, from, to } = input;
  checkSpan(from, to);
  const limit = input.limit ?? 5;
  const [lo, hi] = playRange(tl, from, to);
  const nTracks = tl.trackIds.length;
  const streamsOf = new Int32Array(nTracks);
  const msOf = new Float64Array(nTracks);
  const touched = new Int32Array(Math.min(nTracks, hi - lo));
  let nTouched = 0;
  const seen = new Uint8Array(nTracks);
  // one day's streams per track, for "most replayed"
  const dayStreams = new Int32Array(nTracks);
  const dayTouched: number[] = [];
  const clock = new Array<number>(168).fill(0);
  let streams = 0;
  let msPlayed = 0;
  let mostReplayed: PeriodCard['mostReplayed'] = null;
  let topDay: { day: number; streams: number; ms: number } | null = null;
  let longest: { days: number; first: number; last: number } | null = null;
  let activeDays = 0;
  let runFirst = 0;
  let lastActive = NaN;
  let curDay = NaN;
  let curStreams = 0;
  let curMs = 0;
  const closeDay = () => {
    if (Number.isNaN(curDay)) return;
    if (!topDay || curMs > topDay.ms) topDay = { day: curDay, streams: curStreams, ms: curMs };
    for (const t of dayTouched) {
      const s = dayStreams[t]!;
      if (s > 0 && (!mostReplayed || s > mostReplayed.streams))
        mostReplayed = { trackId: tl.trackIds[t]!, date: dateOfDay(curDay), streams: s };
      dayStreams[t] = 0;
    }
    dayTouched.length = 0;
    if (curStreams > 0) {
      activeDays++;
      if (lastActive !== curDay - 1) runFirst = curDay;
      lastActive = curDay;
      const days = curDay - runFirst + 1;
      if (!longest || days > longest.days) longest = { days, first: runFirst, last: curDay };
    }
  };
  for (let i = lo; i < hi; i++) {
    const t = tl.track[i]!;
    const ms = tl.msPlayed[i]!;
    const d = tl.day[i]!;
    if (d !== curDay) {
      closeDay();
      curDay = d;
      curStreams = 0;
      curMs = 0;
    }
    msPlayed += ms;
    curMs += ms;
    msOf[t] = msOf[t]! + ms;
    if (seen[t] === 0) {
      seen[t] = 1;
      touched[nTouched++] = t;
    }
    if (ms < STREAM_THRESHOLD_MS) continue;
    streams++;
    curStreams++;
    streamsOf[t] = streamsOf[t]! + 1;
    if (dayStreams[t] === 0) dayTouched.push(t);
    dayStreams[t] = dayStreams[t]! + 1;
    clock[tl.hourOfWeek[i]!]!++;
  }
  closeDay();

  const id = (t: number) => tl.trackIds[t]!;
  const better = (a: number, b: number) =>
    streamsOf[a]! > streamsOf[b]! ||
    (streamsOf[a] === streamsOf[b] &&
      (msOf[a]! > msOf[b]! || (msOf[a] === msOf[b] && id(a) < id(b))));
  const streamed = touched.subarray(0, nTouched).filter((t) => streamsOf[t]! > 0);
  const cardTrack = (t: number): CardTrack => ({
    trackId: id(t),
    streams: streamsOf[t]!,
    minutes: round1(msOf[t]! / 60_000),
  });
  const top = topK(streamed, streamed.length, Math.max(limit, SURVIVAL_TOP), better);

  // artists: each streamed track credits its artists with its streams
  const artistStreams = new Int32Array(tl.artistKeys.length);
  const artistTouched = new Int32Array(tl.artistKeys.length);
  let nArtists = 0;
  for (let j = 0; j < streamed.length; j++) {
    const t = streamed[j]!;
    const credited = tl.artistsOf[t]!;
    for (let c = 0; c < credited.length; c++) {
      const a = credited[c]!;
      if (artistStreams[a] === 0) artistTouched[nArtists++] = a;
      artistStreams[a] = artistStreams[a]! + streamsOf[t]!;
    }
  }
  const name = (a: number) => tl.artistNames[a]!;
  const topArtists = topK(
    artistTouched,
    nArtists,
    limit,
    (a, b) =>
      artistStreams[a]! > artistStreams[b]! ||
      (artistStreams[a] === artistStreams[b] && name(a) < name(b)),
  ).map((a) => ({ key: tl.artistKeys[a]!, name: name(a), streams: artistStreams[a]! }));

  const fresh = touched
    .subarray(0, nTouched)
    .filter((t) => tl.firstHeard[t]! >= from && tl.firstHeard[t]! < to);
  const freshStreamed = fresh.filter((t) => streamsOf[t]! > 0);

  const mood = input.features ? periodMood(streamed, streamsOf, tl, input.features) : null;
  const survival = input.previous
    ? survivalFrom(input.previous, top.slice(0, SURVIVAL_TOP), tl)
    : null;
  const tDay = topDay as { day: number; streams: number; ms: number } | null;
  const run = longest as { days: number; first: number; last: number } | null;
  return {
    from,
    to,
    plays: hi - lo,
    streams,
    msPlayed,
    minutes: Math.round(msPlayed / 60_000),
    topTracks: top.slice(0, limit).map(cardTrack),
    topArtists,
    discoveries: {
      count: fresh.length,
      top: topK(freshStreamed, freshStreamed.length, limit, better).map(cardTrack),
    },
    mostReplayed,
    topDay:
      tDay && tDay.streams > 0
        ? {
            date: dateOfDay(tDay.day),
            streams: tDay.streams,
            minutes: Math.round(tDay.ms / 60_000),
          }
        : null,
    longestStreak: run
      ? { days: run.days, first: dateOfDay(run.first), last: dateOfDay(run.last) }
      : null,
    activeDays,
    clock,
    mood,
    survival,
    littleData: {
      fewStreams: streams < MIN_CARD_STREAMS,
      noMood: mood === null,
      noPrevious: survival === null,
      diaryStartsInside:
        tl.times.length > 0 && tl.times[0]! > from && tl.times[0]! < to
          ? dateOfDay(tl.day[0]!)
          : null,
    },
  };
}

function periodMood(
  streamed: Int32Array,
  streamsOf: Int32Array,
  tl: PlayTimeline,
  features: ReadonlyMap<string, FeatureVector>,
): PeriodCard['mood'] {
  const sums = Object.fromEntries(MOOD_FEATURES.map((f) => [f, 0])) as MoodMeans;
  let weight = 0;
  let total = 0;
  let tracks = 0;
  for (let j = 0; j < streamed.length; j++) {
    const t = streamed[j]!;
    const s = streamsOf[t]!;
    total += s;
    const f = features.get(tl.trackIds[t]!);
    if (!f) continue;
    tracks++;
    weight += s;
    for (const k of MOOD_FEATURES) sums[k] += f[k] * s;
  }
  const coverage = total > 0 ? weight / total : 0;
  if (tracks < MOOD_MIN_TRACKS || coverage < MOOD_MIN_COVERAGE) return null;
  for (const k of MOOD_FEATURES) sums[k] /= weight;
  let closest: MoodId = 'chill';
  let best = -Infinity;
  for (const [id, profile] of Object.entries(MOOD_PROFILES) as [
    MoodId,
    (typeof MOOD_PROFILES)[MoodId],
  ][]) {
    const score = moodScore(sums, profile);
    if (score > best) {
      best = score;
      closest = id;
    }
  }
  return { means: sums, closest, coverage: round1(coverage * 100) / 100, tracks };
}

function survivalFrom(
  previous: { from: number; to: number; label: string },
  currentTop: readonly number[],
  tl: PlayTimeline,
): PeriodCard['survival'] {
  checkSpan(previous.from, previous.to);
  const [lo, hi] = playRange(tl, previous.from, previous.to);
  if (hi === lo) return null;
  const streamsOf = new Int32Array(tl.trackIds.length);
  const msOf = new Float64Array(tl.trackIds.length);
  const touched: number[] = [];
  for (let i = lo; i < hi; i++) {
    const t = tl.track[i]!;
    if (tl.msPlayed[i]! < STREAM_THRESHOLD_MS) continue;
    if (streamsOf[t] === 0) touched.push(t);
    streamsOf[t] = streamsOf[t]! + 1;
    msOf[t] = msOf[t]! + tl.msPlayed[i]!;
  }
  if (touched.length === 0) return null;
  const id = (t: number) => tl.trackIds[t]!;
  const prevTop = topK(
    Int32Array.from(touched),
    touched.length,
    SURVIVAL_TOP,
    (a, b) =>
      streamsOf[a]! > streamsOf[b]! ||
      (streamsOf[a] === streamsOf[b] &&
        (msOf[a]! > msOf[b]! || (msOf[a] === msOf[b] && id(a) < id(b)))),
  );
  const now = new Set(currentTop);
  return {
    label: previous.label,
    previousTop: prevTop.length,
    survived: prevTop.filter((t) => now.has(t)).length,
  };
}
