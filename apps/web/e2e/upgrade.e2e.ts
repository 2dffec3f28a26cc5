// A listener who imported history under schema v2 (plays one row each)
// updates the app: the first open upgrades the database to v3 (one row per
// day) in real Chromium, keeps every play exactly, and the diary shows every
// month of them. (The upgrade's unit tests run on fake-indexeddb; this is the
// browser's own IndexedDB, where Dexie drops the old store.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diaryMonths, parseExportFile, type Play } from '@mtm/core';
import { generateExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from './harness';
import { readPlayDays, rebuildAsV2 } from './v2-database';

const START = '2024-06-15T12:00:00Z';

describe('upgrade of a version-2 database', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulatorStart: START });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('moves every play into day rows on the first open and shows their months', async () => {
    await h.connect();
    // five months of history, written the way version 2 stored plays
    const extra = generateExport({ from: Date.UTC(2024, 0, 5), to: Date.UTC(2024, 5, 1) })
      .flatMap(
        (f) =>
          parseExportFile(f.name.split('/').pop()!, f.text, {
            accountId: '',
            now: Date.parse(START),
          }).plays,
      )
      .map(({ accountId: _, ...p }) => p);
    const v2 = await rebuildAsV2(h.page, h.baseUrl, extra);
    expect(v2.plays.length).toBeGreaterThan(extra.length); // the first sync's recent plays too
    expect(v2.plays.length).toBeGreaterThan(10_000); // more than one of the upgrade's read pages

    await h.page.goto(`${h.baseUrl}/diary`);
    const months = diaryMonths(v2.plays, [], 'UTC').length;
    await h.page.waitForFunction((n) => document.querySelectorAll('a.month').length >= n, months);

    const after = await readPlayDays(h.page);
    expect(after.version).toBe(30);
    expect(after.stores).not.toContain('plays');
    expect(after.plays).toEqual(v2.plays);
    expect(after.dayRows).toBe(
      new Set(v2.plays.map((p: Play) => Math.floor(p.playedAt / 86_400_000))).size,
    );
    // a month of the imported history shows its streams
    const march = diaryMonths(v2.plays, [], 'UTC').find((m) => m.key === '2024-03')!;
    expect(await h.page.locator('a.month[href="/diary/2024-03"]').textContent()).toContain(
      `${march.streams} streams`,
    );
  });
});
