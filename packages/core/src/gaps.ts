// Capture gaps: the spans the diary could not see. Spotify's recently-played
// keeps only the last 50 plays, so a device that was not opened (or woken in
// the background) for a day or two loses whatever fell off the end of that
// list. Nothing tells us so directly: a gap is inferred from one page.
//
// The rule: the capture asks for the plays after the newest one stored (the
// cursor). When the answer is a FULL page (50) and even its oldest play is
// newer than the cursor, plays between the two may have fallen off the list:
// the span (cursor, oldest] is a gap. A page with room left proves the
// opposite (everything since the cursor was still there), so it records no
// gap. A full page of exactly the missed plays is indistinguishable from a
// loss; it is recorded too, and its estimate says how much was likely lost.
//
// A gap is never deleted: it is closed (derived, never stored) when imported
// files cover it, i.e. when the union of their covered ranges spans it.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
const WEEK_HOURS = 168;

/** recently-played's page size, and the most it ever holds. */
export const RECENT_PAGE_LIMIT = 50;
/** How many weeks before a gap its estimate learns the listener's rhythm from. */
export const ESTIMATE_WEEKS = 8;

/** A closed-open or closed span of time, ms since epoch; `from <= to`. */
export interface TimeSpan {
  from: number;
  to: number;
}

/** A span recently-played could not see, as stored. */
export interface CaptureGap extends TimeSpan {
  /** When the capture that found it ran. */
  foundAt: number;
  /**
   * Plays (streams of 30 s or more, what recently-played lists) probably
   * lost, from the listener's own rate at those hours of the week; null when
   * the diary holds too little history to say.
   */
  estimate: number | null;
}

/** A gap with what imports made of it. */
export interface GapState extends CaptureGap {
  /** Every moment of it lies in some imported file's covered range. */
  closed: boolean;
}

/**
 * The gap a recently-played answer reveals, or null. `cursor` is the end time
 * of the newest play stored before this capture (0 when there is none: a first
 * capture has nothing to be a gap after). `page` holds the end times of the
 * answer's plays, in any order.
 */
export function gapFromPage(
  cursor: number,
  page: readonly number[],
  limit = RECENT_PAGE_LIMIT,
): TimeSpan | null {
  if (cursor <= 0 || page.length < limit) return null;
  let oldest = Infinity;
  for (const t of page) oldest = Math.min(oldest, t);
  return oldest > cursor ? { from: cursor, to: oldest } : null;
}

/**
 * The part of a gap no capture saw. The previous capture ran at `seenUntil`
 * and found nothing after the cursor: the listener played nothing between
 * the cursor and that moment, so the estimate must not count those hours
 * (counting them overstated three-day gaps by ~20% against the emulator's
 * listener, whose evenings end at varying hours). Clamped into the gap.
 */
export function unseenSpan(gap: TimeSpan, seenUntil: number | null): TimeSpan {
  if (seenUntil === null) return gap;
  return { from: Math.min(Math.max(gap.from, seenUntil), gap.to), to: gap.to };
}

/** Sorted, merged spans: overlapping or touching ranges become one. */
export function unionSpans(spans: readonly TimeSpan[]): TimeSpan[] {
  const sorted = spans.filter((s) => s.from <= s.to).sort((a, b) => a.from - b.from);
  const out: TimeSpan[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ from: s.from, to: s.to });
  }
  return out;
}

/** True exactly when the union of `covered` contains every moment of `span`. */
export function isSpanned(span: TimeSpan, covered: readonly TimeSpan[]): boolean {
  return unionSpans(covered).some((c) => c.from <= span.from && c.to >= span.to);
}

/** Each gap with whether the imported coverage closes it, oldest first. */
export function gapStates(gaps: readonly CaptureGap[], covered: readonly TimeSpan[]): GapState[] {
  const union = unionSpans(covered);
  return [...gaps]
    .sort((a, b) => a.from - b.from)
    .map((g) => ({ ...g, closed: union.some((c) => c.from <= g.from && c.to >= g.to) }));
}

/** Hours of the week (0..167) counted from the epoch, which began on a Thursday. */
const hourOfWeek = (t: number): number =>
  (((Math.floor(t / HOUR_MS) % WEEK_HOURS) + WEEK_HOURS) % WEEK_HOURS) as number;

/**
 * How many plays the listener probably made in `gap`, from their own rate at
 * those hours of the week over the `ESTIMATE_WEEKS` before it. `streams`
 * holds the end times of stored streams (any order; only those before the gap
 * count). The week is counted in absolute hours, not in the listener's zone:
 * a weekly rhythm is periodic in absolute time too (a fixed offset only
 * renames the hours), and a daylight-saving change shifts it by one hour for
 * half the year, well inside the hour-to-hour noise of real listening.
 *
 * Less than a week of history cannot give a weekly rhythm: from one day on, a
 * flat rate over what there is; under a day, null (too little to say).
 */
export function estimateMissingPlays(
  streams: readonly number[],
  gap: TimeSpan,
  weeks = ESTIMATE_WEEKS,
): number | null {
  const length = gap.to - gap.from;
  if (length <= 0) return 0;
  let first = Infinity;
  for (const t of streams) if (t < gap.from) first = Math.min(first, t);
  if (first === Infinity) return null;
  const observed = gap.from - first;
  const fullWeeks = Math.min(weeks, Math.floor(observed / WEEK_MS));
  if (fullWeeks === 0) {
    if (observed < DAY_MS) return null;
    let n = 0;
    for (const t of streams) if (t >= first && t < gap.from) n++;
    return Math.round((n / observed) * length);
  }
  const start = gap.from - fullWeeks * WEEK_MS;
  const perHour = new Float64Array(WEEK_HOURS);
  for (const t of streams)
    if (t >= start && t < gap.from) perHour[hourOfWeek(t)] = perHour[hourOfWeek(t)]! + 1;
  let weekTotal = 0;
  for (const n of perHour) weekTotal += n;
  // whole weeks of the gap count the whole week; the rest hour by hour,
  // partial hours at either end by the share of the hour they cover
  const wholeWeeks = Math.floor(length / WEEK_MS);
  let sum = wholeWeeks * weekTotal;
  const restFrom = gap.from + wholeWeeks * WEEK_MS;
  for (let t = restFrom; t < gap.to;) {
    const hourEnd = (Math.floor(t / HOUR_MS) + 1) * HOUR_MS;
    const end = Math.min(hourEnd, gap.to);
    sum += (perHour[hourOfWeek(t)]! * (end - t)) / HOUR_MS;
    t = end;
  }
  return Math.round(sum / fullWeeks);
}

/** Milliseconds of `window` inside open gaps. */
export function uncapturedMs(gaps: readonly GapState[], window: TimeSpan): number {
  const open = unionSpans(
    gaps
      .filter((g) => !g.closed)
      .map((g) => ({ from: Math.max(g.from, window.from), to: Math.min(g.to, window.to) })),
  );
  return open.reduce((ms, s) => ms + Math.max(0, s.to - s.from), 0);
}

/** Share (0..1) of `window` the diary saw: what open gaps leave of it. */
export function completeness(gaps: readonly GapState[], window: TimeSpan): number {
  const length = window.to - window.from;
  if (length <= 0) return 1;
  return 1 - uncapturedMs(gaps, window) / length;
}

/**
 * Snapshot windows the cadence asked for and no capture took: between two
 * captures (and from the last one to `now`), every whole cadence beyond the
 * first is one window missed for good, since top lists are rolling and cannot
 * be asked for afterwards. `takenAt`: the moments snapshots were taken.
 */
export function missedSnapshotWindows(
  takenAt: readonly number[],
  cadenceMs: number,
  now: number,
): { from: number; to: number; missed: number }[] {
  if (!(cadenceMs > 0))
    throw new RangeError(`cadence must be a positive duration, got ${cadenceMs}`);
  const moments = [...new Set(takenAt)].sort((a, b) => a - b);
  const out: { from: number; to: number; missed: number }[] = [];
  for (let i = 0; i < moments.length; i++) {
    const from = moments[i]!;
    const to = moments[i + 1] ?? now;
    const missed = Math.floor((to - from) / cadenceMs) - 1;
    if (missed > 0) out.push({ from, to, missed });
  }
  return out;
}
