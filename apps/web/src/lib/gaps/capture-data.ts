// What the diary knows about its own holes (issue 14), read from lib/db and
// derived by core: the gaps with whether imports closed them, the last
// capture, how complete the last 30 days are, and whether to suggest the
// privacy export. The timeline, the month page and Settings read this.
import {
  CADENCES,
  STREAM_THRESHOLD_MS,
  completeness,
  gapStates,
  missedSnapshotWindows,
  uncapturedMs,
  type GapState,
} from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import {
  captureGaps,
  exportNudge,
  importedCoverage,
  lastCapture,
  saveExportNudge,
  type ExportNudge,
  type LastCapture,
} from '../db/capture';
import { effectiveTimeZone, loadSettings } from '../db/settings';
import { allSnapshots } from '../db/snapshots';
import { playsBetween } from '../db/plays';

const DAY_MS = 86_400_000;
/** Open gaps adding up to more than this suggest the privacy export. */
export const SUGGEST_EXPORT_AFTER_MS = 7 * DAY_MS;
/**
 * The reminder comes once, this long after the suggestion was seen: Spotify
 * says the extended history takes up to 30 days, most arrive within a week
 * or two.
 */
export const REMIND_EXPORT_AFTER_MS = 10 * DAY_MS;

export interface CaptureHealth {
  zone: string;
  /** Every gap, oldest first, with whether an import closed it. */
  gaps: GapState[];
  lastCapture: LastCapture | null;
  /** Gaps (open or closed) that touch the last 30 days. */
  gapsLast30: GapState[];
  /** Share of the last 30 days the diary saw (0..1). */
  complete30: number;
  /** Streams a day over the last 30 days, for "open it at least every N hours". */
  streamsPerDay: number;
  /** Snapshot windows the cadence asked for and no capture took. */
  missedSnapshots: number;
  /** Which export card to show on the timeline, if any. */
  nudge: 'suggest' | 'remind' | null;
  /** Days of open gaps in all. */
  openDays: number;
}

export async function loadCaptureHealth(
  db: TimeMachineDb,
  accountId: string,
  now: number,
): Promise<CaptureHealth> {
  const settings = await loadSettings(db, accountId);
  const [stored, covered, last, nudgeState, snapshots, recent] = await Promise.all([
    captureGaps(db, accountId),
    importedCoverage(db, accountId),
    lastCapture(db, accountId),
    exportNudge(db, accountId),
    allSnapshots(db, accountId),
    playsBetween(db, accountId, now - 30 * DAY_MS, now),
  ]);
  const gaps = gapStates(stored, covered);
  const window = { from: now - 30 * DAY_MS, to: now };
  const openMs = uncapturedMs(gaps, { from: -Infinity, to: Infinity });
  return {
    zone: effectiveTimeZone(settings),
    gaps,
    lastCapture: last,
    gapsLast30: gaps.filter((g) => g.to > window.from),
    complete30: completeness(gaps, window),
    streamsPerDay: recent.filter((p) => p.msPlayed >= STREAM_THRESHOLD_MS).length / 30,
    missedSnapshots: missedSnapshotWindows(
      snapshots.map((s) => s.takenAt),
      CADENCES[settings.cadence],
      now,
    ).reduce((n, w) => n + w.missed, 0),
    nudge: nudgeFor(openMs, nudgeState, now),
    openDays: openMs / DAY_MS,
  };
}

/** Suggest once gaps add up; remind once, later; then never again. */
export function nudgeFor(openMs: number, n: ExportNudge, now: number): CaptureHealth['nudge'] {
  if (openMs <= SUGGEST_EXPORT_AFTER_MS) return null;
  if (n.suggestedAt === null) return 'suggest';
  if (n.remindedAt === null && now - n.suggestedAt >= REMIND_EXPORT_AFTER_MS) return 'remind';
  return null;
}

/** The person put the card away: the suggestion was seen, or the reminder was. */
export async function dismissNudge(
  db: TimeMachineDb,
  accountId: string,
  which: 'suggest' | 'remind',
  now: number,
): Promise<void> {
  const n = await exportNudge(db, accountId);
  await saveExportNudge(
    db,
    accountId,
    which === 'suggest' ? { ...n, suggestedAt: now } : { ...n, remindedAt: now },
  );
}
