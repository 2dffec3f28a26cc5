// Reads one account's stored facts and hands them to @mtm/core's diary, which
// derives everything shown. The only place the diary pages' data comes from.
import {
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
import { allPlays, playBounds, playsBetween } from '../db/plays';
import { allSnapshots, countSnapshots, snapshotsBetween } from '../db/snapshots';
import { getTracks } from '../db/tracks';
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
}

/** Bump when the cached shape or core's month summary changes meaning. */
const TIMELINE_CACHE_VERSION = 3;

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
  const [plays, snapshots] = await Promise.all([
    allPlays(db, accountId),
    allSnapshots(db, accountId),
  ]);
  const captures = new Set(snapshots.map((s) => s.takenAt)).size;
  const months = diaryMonths(plays, snapshots, zone).map((m) => {
    const span = monthSpan(zone, m.year, m.month);
    const moments = new Set(
      snapshots
        .filter((s) => s.takenAt >= span.start && s.takenAt < span.end)
        .map((s) => s.takenAt),
    );
    return { ...m, captures: moments.size };
  });
  const timeline: Timeline = {
    zone,
    months,
    snapshotCount: snapshots.length,
    captures,
    playCount: plays.length,
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
  /**
   * The diary is one day old: a single capture and no history of plays beyond
   * the last few weeks. The page says so kindly (PRODUCT.md, journey 2).
   */
  justStarted: boolean;
}

const HISTORY_MS = 60 * 86_400_000;

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
  const [plays, snapshots] = await Promise.all([
    playsBetween(db, accountId, from, span.end),
    snapshotsBetween(db, accountId, from, span.end),
  ]);
  const ids = new Set<string>();
  for (const p of plays) ids.add(p.trackId);
  for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
  const tracks = await getTracks(db, ids);
  const view = diaryMonth({ plays, snapshots, tracks, zone, year, month });
  const [allSnaps, bounds] = await Promise.all([
    allSnapshots(db, accountId),
    playBounds(db, accountId),
  ]);
  const captures = new Set(allSnaps.map((s) => s.takenAt)).size;
  const firstCapture = Math.min(...allSnaps.map((s) => s.takenAt));
  // recently-played reaches back a day or so; plays from months before the
  // first snapshot mean an import (or a backup) filled the diary already
  const justStarted =
    captures <= 1 && (bounds === null || bounds.first > firstCapture - HISTORY_MS);
  return {
    zone,
    view,
    tracks,
    snapshots: snapshots.filter((s) => s.takenAt >= span.start),
    justStarted,
  };
}
