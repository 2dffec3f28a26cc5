// What the diary knows about its own completeness (issue 14): the gaps
// recently-played revealed, when a capture last ran (and how), and the
// privacy-export suggestion's state. Kept in account meta rows, not a table:
// a listener gathers a handful of gaps a year, each a few numbers, read whole
// by the diary and Settings; a table would cost a schema version and buy
// nothing. The covered ranges of imported files live on their journal rows
// (import-journal.ts, `covers`). A gap is never deleted: imports close it,
// and core's gapStates says so from the two.
import {
  ESTIMATE_WEEKS,
  STREAM_THRESHOLD_MS,
  estimateMissingPlays,
  unseenSpan,
  type CaptureGap,
  type TimeSpan,
} from '@mtm/core';
import type { TimeMachineDb } from './schema';
import { accountKey, readMeta, writeMeta } from './meta';
import { streamTimesBetween } from './plays';

/** Account meta: CaptureGap[], oldest first. */
export const CAPTURE_GAPS = 'captureGaps';
/** Account meta: the last capture of recently-played that reached Spotify. */
export const LAST_CAPTURE = 'lastCapture';
/** Account meta: when the app suggested the privacy export, and when it reminded. */
export const EXPORT_NUDGE = 'exportNudge';

const WEEK_MS = 7 * 86_400_000;

export interface LastCapture {
  at: number;
  via: 'page' | 'background';
}

export interface ExportNudge {
  suggestedAt: number | null;
  remindedAt: number | null;
}

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isSpan = (x: unknown): x is TimeSpan =>
  typeof x === 'object' &&
  x !== null &&
  isTime((x as TimeSpan).from) &&
  isTime((x as TimeSpan).to) &&
  (x as TimeSpan).from <= (x as TimeSpan).to;

/**
 * The stored gaps, well-formed ones only: meta rows also arrive from backup
 * files, which are hostile until checked, and a malformed row must neither
 * break the capture's transaction nor the diary's notices.
 */
export async function captureGaps(db: TimeMachineDb, accountId: string): Promise<CaptureGap[]> {
  const value = await readMeta<unknown>(db, accountKey(accountId, CAPTURE_GAPS));
  if (!Array.isArray(value)) return [];
  return value.filter(
    (g): g is CaptureGap =>
      isSpan(g) &&
      isTime((g as CaptureGap).foundAt) &&
      ((g as CaptureGap).estimate === null || isTime((g as CaptureGap).estimate)),
  );
}

/**
 * Stores a gap with its estimate, learnt from the streams stored in the weeks
 * before it, over the part of it no capture saw (`seenUntil`: when the
 * previous capture ran; core's unseenSpan). Inside the caller's transaction
 * over `playDays` and `meta` (the recently-played capture's, so the gap, the
 * plays and the cursor are one step).
 */
export async function addCaptureGap(
  db: TimeMachineDb,
  accountId: string,
  gap: TimeSpan,
  foundAt: number,
  seenUntil: number | null,
): Promise<CaptureGap> {
  const unseen = unseenSpan(gap, seenUntil);
  const streams = await streamTimesBetween(
    db,
    accountId,
    unseen.from - ESTIMATE_WEEKS * WEEK_MS,
    unseen.from,
    STREAM_THRESHOLD_MS,
  );
  const row: CaptureGap = {
    from: gap.from,
    to: gap.to,
    foundAt,
    estimate: estimateMissingPlays(streams, unseen),
  };
  const gaps = await captureGaps(db, accountId);
  // the same span found twice (a capture retried after its answer) is one gap
  if (!gaps.some((g) => g.from === row.from && g.to === row.to))
    await writeMeta(
      db,
      accountKey(accountId, CAPTURE_GAPS),
      [...gaps, row].sort((a, b) => a.from - b.from),
    );
  return row;
}

export async function lastCapture(
  db: TimeMachineDb,
  accountId: string,
): Promise<LastCapture | null> {
  return (await readMeta<LastCapture>(db, accountKey(accountId, LAST_CAPTURE))) ?? null;
}

/** Notes a capture that reached Spotify; inside the caller's transaction when there is one. */
export async function noteCapture(
  db: TimeMachineDb,
  accountId: string,
  capture: LastCapture,
): Promise<void> {
  await writeMeta(db, accountKey(accountId, LAST_CAPTURE), capture);
}

export async function exportNudge(db: TimeMachineDb, accountId: string): Promise<ExportNudge> {
  return (
    (await readMeta<ExportNudge>(db, accountKey(accountId, EXPORT_NUDGE))) ?? {
      suggestedAt: null,
      remindedAt: null,
    }
  );
}

export async function saveExportNudge(
  db: TimeMachineDb,
  accountId: string,
  nudge: ExportNudge,
): Promise<void> {
  await writeMeta(db, accountKey(accountId, EXPORT_NUDGE), nudge);
}

/** The time ranges the account's fully imported files cover. */
export async function importedCoverage(db: TimeMachineDb, accountId: string): Promise<TimeSpan[]> {
  const rows = await db.imports.where('accountId').equals(accountId).toArray();
  return rows.flatMap((r) => (r.state === 'done' && isSpan(r.covers) ? [r.covers] : []));
}
