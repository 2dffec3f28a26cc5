// Reads one account's stored facts and hands them to @mtm/core's diary, which
// derives everything shown. The only place the diary pages' data comes from.
import { diaryMonth, diaryMonths, monthSpan, previousMonth, type DiaryMonthSummary, type DiaryMonthView, type Snapshot, type Track } from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import { allPlays, playsBetween } from '../db/plays';
import { allSnapshots, snapshotsBetween } from '../db/snapshots';
import { getTracks } from '../db/tracks';
import { effectiveTimeZone, loadSettings } from '../db/settings';

export interface Timeline {
  zone: string;
  months: DiaryMonthSummary[];
  snapshotCount: number;
  /** Distinct moments snapshots were taken (one sync saves up to three ranges at once). */
  captures: number;
  playCount: number;
}

export async function loadTimeline(db: TimeMachineDb, accountId: string): Promise<Timeline> {
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const [plays, snapshots] = await Promise.all([allPlays(db, accountId), allSnapshots(db, accountId)]);
  const captures = new Set(snapshots.map((s) => s.takenAt)).size;
  return { zone, months: diaryMonths(plays, snapshots, zone), snapshotCount: snapshots.length, captures, playCount: plays.length };
}

export interface MonthPage {
  zone: string;
  view: DiaryMonthView;
  tracks: ReadonlyMap<string, Track>;
  /** Snapshots taken in the month, oldest first. */
  snapshots: Snapshot[];
}

export const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseMonthKey(key: string): { year: number; month: number } | null {
  const m = MONTH_KEY.exec(key);
  return m ? { year: Number(m[1]), month: Number(m[2]) } : null;
}

export async function loadMonth(db: TimeMachineDb, accountId: string, year: number, month: number): Promise<MonthPage> {
  const zone = effectiveTimeZone(await loadSettings(db, accountId));
  const span = monthSpan(zone, year, month);
  const prev = previousMonth(span);
  // the previous month is read too: "new this month" compares with it
  const from = monthSpan(zone, prev.year, prev.month).start;
  const [plays, snapshots] = await Promise.all([playsBetween(db, accountId, from, span.end), snapshotsBetween(db, accountId, from, span.end)]);
  const ids = new Set<string>();
  for (const p of plays) ids.add(p.trackId);
  for (const s of snapshots) for (const id of s.trackIds) ids.add(id);
  const tracks = await getTracks(db, ids);
  const view = diaryMonth({ plays, snapshots, tracks, zone, year, month });
  return { zone, view, tracks, snapshots: snapshots.filter((s) => s.takenAt >= span.start) };
}
