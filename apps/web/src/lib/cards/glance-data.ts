// Reads what the diary shows at a glance and hands it to @mtm/core: "on this
// day" on the home screen, and the calendar heatmap and month covers of the
// timeline. Kept apart from card-data.ts so the diary's first load carries
// none of the card code (the card page loads it).
import {
  ON_THIS_DAY_YEARS,
  dateOfDay,
  dayOfDate,
  dayStart,
  localDayAt,
  onThisDay,
  playTimeline,
  weekdayOf,
  yearAtAGlance,
  type OnThisDayEntry,
  type Play,
  type Track,
  type YearAtAGlance,
} from '@mtm/core';
import type { DiaryScope } from '../app/app-context.svelte';
import { loadHistory } from '../db/history';
import { GLANCE_CACHE, PLAYS_REVISION, accountKey, readMeta, writeMeta } from '../db/meta';
import { effectiveTimeZone, loadSettings } from '../db/settings';
import { getTracks } from '../db/tracks';

export interface OnThisDayPage {
  zone: string;
  /** Today's local date. */
  today: { year: number; month: number; day: number };
  entries: OnThisDayEntry[];
  tracks: ReadonlyMap<string, Track>;
}

/**
 * "On this day" reads only the weeks around today's date 1, 2, 5 and 10 years
 * ago (four small reads), never the whole diary: the home screen stays quick.
 */
export async function loadOnThisDay(scope: DiaryScope, now: number): Promise<OnThisDayPage> {
  const zone = effectiveTimeZone(await loadSettings(scope.db, scope.accountId));
  const today = dateOfDay(localDayAt(zone, now));
  const plays: Play[] = [];
  const tracks = new Map<string, Track>();
  for (const k of ON_THIS_DAY_YEARS) {
    const day = dayOfDate(today.year - k, today.month, today.day);
    if (day === null) continue;
    const monday = day - weekdayOf(day);
    const h = await loadHistory(scope.db, scope.accountId, {
      from: dayStart(zone, monday),
      to: dayStart(zone, monday + 7),
    });
    plays.push(...h.plays);
    for (const [id, t] of h.tracks) tracks.set(id, t);
  }
  const entries = onThisDay(playTimeline(plays, zone, tracks), now);
  return { zone, today, entries, tracks };
}

export interface Glance {
  zone: string;
  /** Newest year first, as the timeline lists them. */
  years: YearAtAGlance[];
  /** The month tops' tracks, for their covers. */
  tracks: ReadonlyMap<string, Track>;
}

/**
 * The calendar heatmaps and month covers. Counting every day needs every play
 * (300,000 after a 10-year import), so the answer is kept in meta with the
 * plays revision it was computed for, as the diary timeline is; covers are read
 * fresh, since they arrive later than plays.
 */
export async function loadGlance(
  scope: DiaryScope,
  /** Gets the glance kept for older plays at once, while this one is computed. */
  showEarly?: (stale: Glance) => void,
): Promise<Glance> {
  const { db, accountId } = scope;
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const revision = await readMeta<string>(db, accountKey(accountId, PLAYS_REVISION));
  const stamp = `1|${zone}|${revision ?? ''}`;
  const cacheKey = accountKey(accountId, GLANCE_CACHE);
  const cached = await readMeta<{ stamp: string; years: YearAtAGlance[] }>(db, cacheKey);
  let years = cached?.stamp === stamp ? cached.years : null;
  if (!years && cached && showEarly)
    showEarly({ zone, years: cached.years, tracks: await tracksOfTops(db, cached.years) });
  if (!years) {
    const { plays } = await loadHistory(db, accountId, { tracks: false });
    const tl = playTimeline(plays, zone);
    years = [];
    if (plays.length > 0) {
      const first = dateOfDay(tl.day[0]!).year;
      const last = dateOfDay(tl.day[tl.day.length - 1]!).year;
      for (let y = last; y >= first; y--) years.push(yearAtAGlance(tl, y));
    }
    await writeMeta(db, cacheKey, { stamp, years });
  }
  return { zone, years, tracks: await tracksOfTops(db, years) };
}

function tracksOfTops(db: DiaryScope['db'], years: readonly YearAtAGlance[]) {
  return getTracks(
    db,
    years.flatMap((y) => y.monthTops.filter((id): id is string => id !== null)),
  );
}
