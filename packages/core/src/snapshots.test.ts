import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CADENCES,
  DEFAULT_CADENCE,
  buildSnapshot,
  captureMoments,
  diaryJustStarted,
  dueRanges,
  isSnapshotDue,
  latestByRange,
  snapshotId,
} from './snapshots.js';
import type { Snapshot, Track } from './types.js';
import { snapshot } from './test-support/fixtures.js';

const track = (id: string): Track => ({
  id,
  name: id,
  artists: [],
  album: { id: null, name: '', imageUrl: null },
  durationMs: null,
  isrc: null,
});
const snap = (range: Snapshot['range'], takenAt: number, accountId = 'acc'): Snapshot =>
  buildSnapshot({ accountId, range, takenAt, tracks: ['x'] });

describe('buildSnapshot', () => {
  it('keeps rank order, takes tracks or ids, and derives a deterministic id', () => {
    const s = buildSnapshot({
      accountId: 'acc',
      range: 'short_term',
      takenAt: 1000,
      tracks: [track('b'), 'a', track('c')],
    });
    expect(s).toEqual({
      id: 'acc:short_term:1000',
      accountId: 'acc',
      takenAt: 1000,
      range: 'short_term',
      trackIds: ['b', 'a', 'c'],
    });
    expect(s.id).toBe(snapshotId('acc', 'short_term', 1000));
  });

  it('keeps the first rank of a repeated track and drops empty ids', () => {
    const s = buildSnapshot({
      accountId: 'acc',
      range: 'long_term',
      takenAt: 1,
      tracks: ['a', 'b', 'a', '', 'c'],
    });
    expect(s.trackIds).toEqual(['a', 'b', 'c']);
  });
});

describe('isSnapshotDue', () => {
  const week = CADENCES.weekly;
  it('is due without a previous snapshot', () => {
    expect(isSnapshotDue(null, week, 0)).toBe(true);
    expect(isSnapshotDue(undefined, week, 0)).toBe(true);
  });
  it('is due exactly when the cadence has elapsed', () => {
    expect(isSnapshotDue(1000, week, 1000 + week - 1)).toBe(false);
    expect(isSnapshotDue({ takenAt: 1000 }, week, 1000 + week)).toBe(true);
  });
  it('is not due when the last snapshot is in the future (clock moved back)', () => {
    expect(isSnapshotDue(10 * week, week, 0)).toBe(false);
  });
  it('defaults to weekly and orders the presets', () => {
    expect(DEFAULT_CADENCE).toBe('weekly');
    expect(CADENCES.daily).toBeLessThan(CADENCES.weekly);
    expect(CADENCES.weekly).toBeLessThan(CADENCES.monthly);
  });
  it('is monotonic in now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e10 }),
        fc.integer({ min: 0, max: 1e10 }),
        (last, a, b) => {
          const [early, late] = a <= b ? [a, b] : [b, a];
          if (isSnapshotDue(last, week, last + early))
            expect(isSnapshotDue(last, week, last + late)).toBe(true);
        },
      ),
    );
  });
});

describe('per range', () => {
  const week = CADENCES.weekly;
  const history = [
    snap('short_term', 0),
    snap('short_term', 5 * week),
    snap('medium_term', 0),
    snap('long_term', 5 * week, 'other'),
  ];

  it('finds the latest snapshot of each range', () => {
    const latest = latestByRange(history);
    expect(latest.short_term?.takenAt).toBe(5 * week);
    expect(latest.long_term?.accountId).toBe('other');
    expect(latestByRange(history, 'acc').long_term).toBeUndefined();
  });

  it('lists the ranges that are due, per account', () => {
    expect(dueRanges(history, week, 5 * week + 1, 'acc')).toEqual(['medium_term', 'long_term']);
    expect(dueRanges(history, week, 5 * week + 1)).toEqual(['medium_term']);
    expect(dueRanges(history, week, 6 * week)).toEqual(['short_term', 'medium_term', 'long_term']);
  });
});

describe('captureMoments and diaryJustStarted', () => {
  const DAY = 86_400_000;
  const T = Date.UTC(2026, 10, 1);
  const firstSync = sync(T);

  function sync(takenAt: number): Snapshot[] {
    return (['short_term', 'medium_term', 'long_term'] as const).map((r) =>
      snapshot(r, takenAt, ['a']),
    );
  }

  it('counts one sync of three ranges as one capture', () => {
    expect(captureMoments(firstSync)).toBe(1);
    expect(captureMoments([...firstSync, ...sync(T + DAY)])).toBe(2);
  });

  it('is true for a first capture with only recently-played plays around it', () => {
    expect(diaryJustStarted(firstSync, T - DAY)).toBe(true);
    expect(diaryJustStarted(firstSync, null)).toBe(true);
    expect(diaryJustStarted([], null)).toBe(true);
  });

  it('is false once a second capture exists, or when plays reach back months (an import)', () => {
    expect(diaryJustStarted([...firstSync, ...sync(T + 7 * DAY)], T)).toBe(false);
    expect(diaryJustStarted(firstSync, T - 400 * DAY)).toBe(false);
    // an import with no snapshot at all is a diary with history, not a new one
    expect(diaryJustStarted([], T - 400 * DAY)).toBe(false);
  });
});
