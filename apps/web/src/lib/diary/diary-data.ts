// Reads one account's stored facts and hands them to @mtm/core's diary, which
// derives everything shown. The only place the diary pages' data comes from.
import {
  captureMoments,
  diaryJustStarted,
  diaryMonth,
  diaryMonths,
  monthSpan,
  previousMonth,
  type DiaryMonthSummary,
  type DiaryMonthView,
  type Snapshot,
  type Track,
} from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import { loadHistory } from '../db/history';
import { playBounds } from '../db/plays';
import { allSnapshots, countSnapshots } from '../db/snapshots';
import { effectiveTimeZone, loadSettings } from '../db/settings';
import { PLAYS_REVISION, TIMELINE_CACHE, accountKey, readMeta, writeMeta } from '../db/meta';

export interface TimelineMonth extends DiaryMonthSummary {
  /** Moments snapshots were taken this month (a sync saves three ranges at one moment). */
  captures: number;
}

export interface Timeline {
  zone: string;
  months: TimelineMonth[];
  snapshotCount: number;
  /** Distinct moments snapshots were taken (one sync saves up to three ranges at once). */
  captures: number;
  playCount: number;
  /** One capture and no history before it: the diary says so kindly (core's diaryJustStarted). */
  justStarted: boolean;
}

/** Bump when the cached shape or core's month summary changes meaning. */
const TIMELINE_CACHE_VERSION = 4;

/**
 * Cheap facts that change whenever the timeline could: the time zone, the
 * snapshot count (read from an index) and the plays revision, which every
 * write of plays renews in its own transaction (db/plays.ts). Reading every
 * play (300,000 after a 10-year import) takes a while on a phone; these take
 * milliseconds.
 */
async function timelineStamp(db: TimeMachineDb, accountId: string, zone: string): Promise<string> {
  const [snapshots, revision] = await Promise.all([
    countSnapshots(db, accountId),
    readMeta<string>(db, accountKey(accountId, PLAYS_REVISION)),
  ]);
  return [TIMELINE_CACHE_VERSION, zone, snapshots, revision ?? ''].join('|');
}

/** The last computed timeline, whatever changed since: shown at once while loadTimeline checks it. */
export async function cachedTimeline(
  db: TimeMachineDb,
  accountId: string,
): Promise<Timeline | null> {
  return (
    (
      await readMeta<{ stamp: string; timeline: Timeline }>(
        db,
        accountKey(accountId, TIMELINE_CACHE),
      )
    )?.timeline ?? null
  );
}

export async function loadTimeline(db: TimeMachineDb, accountId: string): Promise<Timeline> {
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const stamp = await timelineStamp(db, accountId, zone);
  const cacheKey = accountKey(accountId, TIMELINE_CACHE);
  const cached = await readMeta<{ stamp: string; timeline: Timeline }>(db, cacheKey);
  if (cached?.stamp === stamp) return cached.timeline;
  const { plays, snapshots } = await loadHistory(db, accountId, { tracks: false });
  const months = diaryMonths(plays, snapshots, zone).map((m) => {
    const span = monthSpan(zone, m.year, m.month);
    const inMonth = snapshots.filter((s) => s.takenAt >= span.start && s.takenAt < span.end);
    return { ...m, captures: captureMoments(inMonth) };
  });
  const timeline: Timeline = {
    zone,
    months,
    snapshotCount: snapshots.length,
    captures: captureMoments(snapshots),
    playCount: plays.length,
    justStarted: diaryJustStarted(snapshots, plays[0]?.playedAt ?? null),
  };
  await writeMeta(db, cacheKey, { stamp, timeline });
  return timeline;
}

export interface MonthPage {
  zone: string;
  view: DiaryMonthView;
  tracks: ReadonlyMap<string, Track>;
  /** Snapshots taken in the month, oldest first. */
  snapshots: Snapshot[];
  /** See Timeline.justStarted. */
  justStarted: boolean;
}

export const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseMonthKey(key: string): { year: number; month: number } | null {
  const m = MONTH_KEY.exec(key);
  return m ? { year: Number(m[1]), month: Number(m[2]) } : null;
}

export async function loadMonth(
  db: TimeMachineDb,
  accountId: string,
  year: number,
  month: number,
): Promise<MonthPage> {
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const span = monthSpan(zone, year, month);
  const prev = previousMonth(span);
  // the previous month is read too: "new this month" compares with it
  const from = monthSpan(zone, prev.year, prev.month).start;
  const history = await loadHistory(db, accountId, { from, to: span.end });
  const { plays, snapshots, tracks } = history;
  const view = diaryMonth({ plays, snapshots, tracks, zone, year, month });
  const [allSnaps, bounds] = await Promise.all([
    allSnapshots(db, accountId),
    playBounds(db, accountId),
  ]);
  return {
    zone,
    view,
    tracks,
    snapshots: snapshots.filter((s) => s.takenAt >= span.start),
    justStarted: diaryJustStarted(allSnaps, bounds?.first ?? null),
  };
}
