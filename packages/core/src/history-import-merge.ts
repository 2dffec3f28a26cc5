// Joining imported plays with what the device already holds.
//
// One listen can reach the device up to three times: from recently-played
// (`played_at`, to the second, real track id), from the extended export (`ts`,
// to the second, real track id) and from account data (`endTime`, to the
// minute, name key only). Keys differ, so the primary key alone would count
// the listen three times. The matching rule, applied after name keys are
// resolved to ids:
//
//   two plays of the same account and the same track are the same listen when
//   they come from different precisions and their end times agree:
//   - second vs second (recent vs extended): |Δ| <= 20 s;
//   - minute vs second: the second-precision end lies in [minute - 20 s,
//     minute + 80 s] (account data truncates to the minute; 20 s of clock skew).
//
// Plays of the same precision are never merged unless their keys are equal:
// two listens of one song a few seconds apart (a restart) are both real. A
// worse row is replaced at most once, so one recent play cannot swallow two
// exported listens. The better row wins: extended (exact duration, id) >
// account data (exact duration) > recently-played (no duration).
//
// Stored rows carry no precision: an extended `ts` that falls exactly on a
// minute is taken for minute precision there (a wider window), unless the
// caller names it in `exact` (see MergeOptions; another device that held it
// beside a second listen says so, sync-batches.ts). Incoming rows get theirs
// from the caller, who knows the file kind. Account data keeps one
// row per song and minute: two listens of one song ending in the same minute
// are one row until the extended history brings both.
import type { Play, Track } from './types.js';
import { isNameKey, nameKey } from './history-import-names.js';

export const SAME_LISTEN_TOLERANCE_MS = 20_000;
const MINUTE_MS = 60_000;

export type Precision = 'second' | 'minute' | 'recent';
const RANK: Record<Precision, number> = { second: 2, minute: 1, recent: 0 };

export function precisionOf(p: Play): Precision {
  if (p.source === 'recent') return 'recent';
  return p.playedAt % MINUTE_MS === 0 ? 'minute' : 'second';
}

/**
 * The key of a play in an `exact` set (MergeOptions): end time and track,
 * the account being the caller's to match.
 */
export const exactKey = (p: Pick<Play, 'playedAt' | 'trackId'>): string =>
  `${p.playedAt}:${p.trackId}`;

/** The primary key of a play on the device, as one string. */
export function playKey(p: Pick<Play, 'accountId' | 'playedAt' | 'trackId'>): string {
  return `${p.accountId}\u0000${p.playedAt}\u0000${p.trackId}`;
}

export interface MergeResult {
  /** Incoming plays to write. */
  add: Play[];
  /**
   * Existing plays superseded by a better row of the same listen: delete them
   * before writing `add` (a superseded row may share its key with the new one).
   */
  remove: Play[];
  /** Incoming plays that were already known (same key, or the same listen). */
  duplicates: number;
}

interface Entry {
  play: Play;
  precision: Precision;
  existing: boolean;
  live: boolean;
}

/** Window of second-precision end times that match `a`, relative to a.playedAt. */
function window(a: Precision, b: Precision): [number, number] {
  const t = SAME_LISTEN_TOLERANCE_MS;
  if (a === 'minute') return [-t, MINUTE_MS + t];
  if (b === 'minute') return [-(MINUTE_MS + t), t];
  return [-t, t];
}

function firstAtOrAfter(list: Entry[], time: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.play.playedAt < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface MergeOptions {
  /**
   * The precision of the incoming export plays when the caller knows it (the
   * file kind says): an extended row that ended exactly on a minute is then
   * not mistaken for account data and merged with a neighbouring listen.
   */
  incomingPrecision?: 'second' | 'minute';
  /**
   * Export plays, stored or incoming, that end exactly on a minute and are to
   * the second all the same, by exactKey: read as account data, such a play
   * would swallow another listen of the song up to 80 s later. A caller's
   * `incomingPrecision` still wins for the incoming rows.
   */
  exact?: ReadonlySet<string>;
}

export function mergePlays(
  existing: readonly Play[],
  incoming: readonly Play[],
  opts: MergeOptions = {},
): MergeResult {
  const exact = opts.exact;
  const knownPrecision = (p: Play): Precision =>
    exact !== undefined && p.source !== 'recent' && exact.has(exactKey(p))
      ? 'second'
      : precisionOf(p);
  const incomingPrecision = (p: Play): Precision =>
    p.source === 'recent' ? 'recent' : (opts.incomingPrecision ?? knownPrecision(p));
  const byTrack = new Map<string, Entry[]>();
  const keys = new Map<string, Entry>();
  const insert = (e: Entry): void => {
    const id = `${e.play.accountId}\u0000${e.play.trackId}`;
    let list = byTrack.get(id);
    if (!list) byTrack.set(id, (list = []));
    list.splice(firstAtOrAfter(list, e.play.playedAt), 0, e);
    keys.set(playKey(e.play), e);
  };
  for (const play of existing)
    insert({ play, precision: knownPrecision(play), existing: true, live: true });

  const result: MergeResult = { add: [], remove: [], duplicates: 0 };
  // Best rows first: a row is only ever replaced by a better one, which has
  // then already been placed, so every dropped row still has its better twin
  // at the end, and merging the same import again changes nothing.
  const ordered = [...incoming].sort(
    (a, b) => RANK[incomingPrecision(b)] - RANK[incomingPrecision(a)] || a.playedAt - b.playedAt,
  );
  const accepted: Entry[] = [];
  for (const play of ordered) {
    const precision = incomingPrecision(play);
    // the same key is the same listen; a recent row there yields to the export row
    const sameKey = keys.get(playKey(play));
    const match = sameKey?.live
      ? sameKey
      : bestMatch(byTrack.get(`${play.accountId}\u0000${play.trackId}`), play, precision);
    if (match && RANK[match.precision] >= RANK[precision]) {
      result.duplicates += 1;
      continue;
    }
    if (match) {
      match.live = false;
      // a superseded incoming row is simply not written: it was a duplicate
      if (match.existing) result.remove.push(match.play);
      else result.duplicates += 1;
    }
    const entry: Entry = { play, precision, existing: false, live: true };
    insert(entry);
    accepted.push(entry);
  }
  for (const e of accepted) if (e.live) result.add.push(e.play);
  return result;
}

/**
 * The same listen in another precision: a row at least as good as `play`
 * first (then `play` is a duplicate), else the nearest worse row not yet
 * replaced (then `play` replaces it, so one worse row absorbs one listen).
 */
function bestMatch(list: Entry[] | undefined, play: Play, precision: Precision): Entry | null {
  if (!list) return null;
  const widest = MINUTE_MS + SAME_LISTEN_TOLERANCE_MS;
  let better: Entry | null = null;
  let worse: Entry | null = null;
  const distance = (e: Entry | null): number =>
    e ? Math.abs(e.play.playedAt - play.playedAt) : Infinity;
  for (let i = firstAtOrAfter(list, play.playedAt - widest); i < list.length; i++) {
    const c = list[i]!;
    const delta = c.play.playedAt - play.playedAt;
    if (delta > widest) break;
    if (!c.live || c.precision === precision) continue;
    const [lo, hi] = window(precision, c.precision);
    if (delta < lo || delta > hi) continue;
    if (RANK[c.precision] >= RANK[precision]) {
      if (Math.abs(delta) < distance(better)) better = c;
    } else if (Math.abs(delta) < distance(worse)) worse = c;
  }
  return better ?? worse;
}

/**
 * Name key -> every Spotify id known for that artist + title (single and
 * album versions share both), the preferred first: the most played, then the
 * smallest id, so the choice is the same on every device.
 */
export function buildNameCandidates(
  tracks: Iterable<Pick<Track, 'id' | 'name' | 'artists'>>,
  plays?: ReadonlyMap<string, number>,
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of tracks) {
    if (isNameKey(t.id) || !t.name) continue;
    const key = nameKey(t.artists[0]?.name ?? '', t.name);
    const ids = out.get(key);
    if (!ids) out.set(key, [t.id]);
    else if (!ids.includes(t.id)) ids.push(t.id);
  }
  const weight = (id: string): number => plays?.get(id) ?? 0;
  for (const ids of out.values())
    if (ids.length > 1) ids.sort((a, b) => weight(b) - weight(a) || (a < b ? -1 : 1));
  return out;
}

/** Name key -> the preferred Spotify id (see buildNameCandidates). */
export function buildNameIndex(
  tracks: Iterable<Pick<Track, 'id' | 'name' | 'artists'>>,
  plays?: ReadonlyMap<string, number>,
): Map<string, string> {
  const index = new Map<string, string>();
  for (const [key, ids] of buildNameCandidates(tracks, plays)) index.set(key, ids[0]!);
  return index;
}

/** Replaces name keys that the index knows by their Spotify id. */
export function resolveNameKeys(
  plays: readonly Play[],
  index: ReadonlyMap<string, string>,
): { plays: Play[]; resolved: number } {
  let resolved = 0;
  const out = plays.map((p) => {
    if (!isNameKey(p.trackId)) return p;
    const id = index.get(p.trackId);
    if (id === undefined) return p;
    resolved += 1;
    return { ...p, trackId: id };
  });
  return { plays: out, resolved };
}

/**
 * For a song with several ids: each name-keyed play takes the id of the same
 * listen among `known` (plays of any of those ids, within the same-listen
 * window), so a listen is never counted once per version; a play with no
 * such twin takes `preferred`.
 */
export function assignIds(
  plays: readonly Play[],
  known: readonly Play[],
  preferred: string,
): Play[] {
  const sorted = [...known].sort((a, b) => a.playedAt - b.playedAt);
  const widest = MINUTE_MS + SAME_LISTEN_TOLERANCE_MS;
  return plays.map((p) => {
    const precision = precisionOf(p);
    let best: Play | null = null;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]!.playedAt < p.playedAt - widest) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < sorted.length && sorted[i]!.playedAt <= p.playedAt + widest; i++) {
      const k = sorted[i]!;
      const other = precisionOf(k);
      const delta = k.playedAt - p.playedAt;
      // an extended row ending exactly on a minute looks like account data;
      // at the very same moment it is the same listen all the same
      if (k.accountId !== p.accountId || (other === precision && delta !== 0)) continue;
      const [from, to] = other === precision ? [0, 0] : window(precision, other);
      if (
        delta >= from &&
        delta <= to &&
        (!best || Math.abs(delta) < Math.abs(best.playedAt - p.playedAt))
      )
        best = k;
    }
    return { ...p, trackId: best?.trackId ?? preferred };
  });
}
