// Snapshots: one capture of the user's top tracks for one range at one moment.
import { TIME_RANGES, type Snapshot, type TimeRange, type Track } from './types.js';

const DAY_MS = 86_400_000;

export type CadenceName = 'daily' | 'weekly' | 'monthly';

/**
 * How often a snapshot is taken. Monthly is the seed's minimum; weekly is the
 * default because the short-term range (~4 weeks) would otherwise slide past
 * whole phases between two captures. "Monthly" is 30 days, not a calendar
 * month: due-ness is a duration since the last capture, independent of zone.
 */
export const CADENCES: Readonly<Record<CadenceName, number>> = {
  daily: DAY_MS,
  weekly: 7 * DAY_MS,
  monthly: 30 * DAY_MS,
};
export const DEFAULT_CADENCE: CadenceName = 'weekly';

export function snapshotId(accountId: string, range: TimeRange, takenAt: number): string {
  return `${accountId}:${range}:${takenAt}`;
}

export interface SnapshotInput {
  accountId: string;
  range: TimeRange;
  takenAt: number;
  /** The top-tracks answer in rank order, as tracks or ids. */
  tracks: ReadonlyArray<Track | string>;
}

/** Builds a snapshot; a repeated id keeps its first (best) rank. */
export function buildSnapshot(input: SnapshotInput): Snapshot {
  const seen = new Set<string>();
  const trackIds: string[] = [];
  for (const t of input.tracks) {
    const id = typeof t === 'string' ? t : t.id;
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    trackIds.push(id);
  }
  return {
    id: snapshotId(input.accountId, input.range, input.takenAt),
    accountId: input.accountId,
    takenAt: input.takenAt,
    range: input.range,
    trackIds,
  };
}

/**
 * Whether a new snapshot is due. A last snapshot dated after `now` (the device
 * clock went back) is not due: taking another would only add a capture that
 * sorts before the one we have.
 */
export function isSnapshotDue(
  last: Pick<Snapshot, 'takenAt'> | number | null | undefined,
  cadenceMs: number,
  now: number,
): boolean {
  if (last === null || last === undefined) return true;
  const takenAt = typeof last === 'number' ? last : last.takenAt;
  return now - takenAt >= cadenceMs;
}

/** The latest snapshot of each range (optionally of one account). */
export function latestByRange(
  snapshots: readonly Snapshot[],
  accountId?: string,
): Partial<Record<TimeRange, Snapshot>> {
  const out: Partial<Record<TimeRange, Snapshot>> = {};
  for (const s of snapshots) {
    if (accountId !== undefined && s.accountId !== accountId) continue;
    const cur = out[s.range];
    if (!cur || s.takenAt > cur.takenAt) out[s.range] = s;
  }
  return out;
}

/** The ranges for which a snapshot is due, in TIME_RANGES order. */
export function dueRanges(
  snapshots: readonly Snapshot[],
  cadenceMs: number,
  now: number,
  accountId?: string,
): TimeRange[] {
  const latest = latestByRange(snapshots, accountId);
  return TIME_RANGES.filter((r) => isSnapshotDue(latest[r] ?? null, cadenceMs, now));
}

/** Distinct moments snapshots were taken: one sync saves up to three ranges at one moment. */
export function captureMoments(snapshots: readonly Snapshot[]): number {
  return new Set(snapshots.map((s) => s.takenAt)).size;
}

/** recently-played reaches back a day or so; older plays came from an import or a backup. */
const RECENT_REACH_MS = 60 * 86_400_000;

/**
 * The diary is one day old: at most one capture moment, and no plays from
 * well before it (an imported history would have them). The diary says so
 * kindly (PRODUCT.md, journey 2) rather than showing one thin month as if it
 * were the person's whole history.
 */
export function diaryJustStarted(
  snapshots: readonly Snapshot[],
  firstPlayAt: number | null,
): boolean {
  if (captureMoments(snapshots) > 1) return false;
  if (firstPlayAt === null) return true;
  const firstCapture = Math.min(...snapshots.map((s) => s.takenAt));
  return firstPlayAt > firstCapture - RECENT_REACH_MS;
}
