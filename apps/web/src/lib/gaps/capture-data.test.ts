// Issue 14: what Settings and the diary say about the diary's holes, and the
// export card: suggested once the gaps add up, reminded once, later.
import { describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import { addCaptureGap, noteCapture } from '../db/capture';
import { beginFile, markFileDone } from '../db/import-journal';
import { REMIND_EXPORT_AFTER_MS, dismissNudge, loadCaptureHealth, nudgeFor } from './capture-data';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12);

describe('nudgeFor', () => {
  const none = { suggestedAt: null, remindedAt: null };
  it('suggests the export only once open gaps add up to more than a week', () => {
    expect(nudgeFor(7 * DAY, none, NOW)).toBeNull();
    expect(nudgeFor(7 * DAY + 1, none, NOW)).toBe('suggest');
  });
  it('reminds once, when the export has probably arrived, then never again', () => {
    const seen = { suggestedAt: NOW, remindedAt: null };
    expect(nudgeFor(8 * DAY, seen, NOW + DAY)).toBeNull();
    expect(nudgeFor(8 * DAY, seen, NOW + REMIND_EXPORT_AFTER_MS)).toBe('remind');
    expect(
      nudgeFor(8 * DAY, { ...seen, remindedAt: NOW + REMIND_EXPORT_AFTER_MS }, NOW + 60 * DAY),
    ).toBeNull();
  });
});

describe('loadCaptureHealth', () => {
  it('counts the gaps of the last 30 days, open and filled, and how complete those days are', async () => {
    const db = freshDb();
    await db.transaction('rw', db.playDays, db.meta, async () => {
      await addCaptureGap(
        db,
        'acc',
        { from: NOW - 10 * DAY, to: NOW - 7 * DAY },
        NOW - 7 * DAY,
        null,
      );
      await addCaptureGap(
        db,
        'acc',
        { from: NOW - 5 * DAY, to: NOW - 2 * DAY },
        NOW - 2 * DAY,
        null,
      );
      await noteCapture(db, 'acc', { at: NOW - DAY, via: 'background' });
    });
    // an imported file covering the first gap
    await beginFile(
      db,
      'acc',
      { id: 'acc:f1', name: 'Streaming_History_Audio_2026.json', plays: 9 },
      NOW,
    );
    await markFileDone(db, 'acc:f1', NOW, { from: NOW - 20 * DAY, to: NOW - 6 * DAY });

    const h = await loadCaptureHealth(db, 'acc', NOW);
    expect(h.gapsLast30.map((g) => g.closed)).toEqual([true, false]);
    expect(h.complete30).toBeCloseTo(1 - 3 / 30);
    expect(h.openDays).toBeCloseTo(3);
    expect(h.nudge).toBeNull();
    expect(h.lastCapture).toEqual({ at: NOW - DAY, via: 'background' });
  });

  it('the export card, once put away, comes back only as the reminder', async () => {
    const db = freshDb();
    await db.transaction('rw', db.playDays, db.meta, async () => {
      await addCaptureGap(db, 'acc', { from: NOW - 20 * DAY, to: NOW - 10 * DAY }, NOW, null);
    });
    expect((await loadCaptureHealth(db, 'acc', NOW)).nudge).toBe('suggest');
    await dismissNudge(db, 'acc', 'suggest', NOW);
    expect((await loadCaptureHealth(db, 'acc', NOW + DAY)).nudge).toBeNull();
    const later = NOW + REMIND_EXPORT_AFTER_MS;
    expect((await loadCaptureHealth(db, 'acc', later)).nudge).toBe('remind');
    await dismissNudge(db, 'acc', 'remind', later);
    expect((await loadCaptureHealth(db, 'acc', later + 30 * DAY)).nudge).toBeNull();
  });
});

describe('hostile rows (a backup file is read back as meta and journal rows)', () => {
  it('a malformed gaps row or covered range is left out, and the next capture still stores its gap', async () => {
    const db = freshDb();
    await db.meta.put({ key: 'acc:captureGaps', value: 'not a list' });
    expect((await loadCaptureHealth(db, 'acc', NOW)).gaps).toEqual([]);
    await db.meta.put({
      key: 'acc:captureGaps',
      value: [
        { from: 'x', to: 1 },
        null,
        { from: NOW - 2 * DAY, to: NOW - DAY, foundAt: NOW, estimate: 3 },
      ],
    });
    await db.imports.put({
      id: 'acc:f',
      accountId: 'acc',
      fileName: 'f.json',
      state: 'done',
      plays: 1,
      startedAt: NOW,
      finishedAt: NOW,
      covers: { from: NOW, to: 'later' } as unknown as { from: number; to: number },
    });
    const h = await loadCaptureHealth(db, 'acc', NOW);
    expect(h.gaps.map((g) => [g.from, g.closed])).toEqual([[NOW - 2 * DAY, false]]);
    await db.transaction('rw', db.playDays, db.meta, async () => {
      await addCaptureGap(db, 'acc', { from: NOW - DAY / 2, to: NOW }, NOW, null);
    });
    expect((await loadCaptureHealth(db, 'acc', NOW)).gaps).toHaveLength(2);
  });
});
