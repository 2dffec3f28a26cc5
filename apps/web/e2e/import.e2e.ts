// Issue 7's journey: a listener connects (one snapshot), then imports a
// generated multi-year privacy export (extended history + account data, as
// my_spotify_data.zip) and finds every month of it in the diary, with the
// stream counts @mtm/core computes over the same generated plays. The
// recently-played capture of the first sync and the account-data rows are
// the same listens as export rows: they must not be counted twice, and an
// import cut off by a reload is finished by the next one without doubles.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diaryMonths, parseExportFile, type Play } from '@mtm/core';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from './harness';

const START = '2024-06-15T12:00:00Z';
const FROM = Date.UTC(2022, 2, 1);
// an hour past the emulator's start, so every play the first sync captures is in the export
const TO = Date.parse(START) + 3_600_000;

/** In the page: holds a write lock on the plays store until the page goes (resolves once held). */
function holdPlaysStore(): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('music-time-machine');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('playDays', 'readwrite').objectStore('playDays');
      // a transaction lives while it has requests: ask for nothing, forever
      const spin = () => {
        store.get(['', 0]).onsuccess = () => {
          resolve();
          spin();
        };
      };
      spin();
    };
  });
}

/** In the page: the imported count and each file's state, as the import panel shows them. */
function importProgress(): string {
  const imported = document.querySelector('[data-testid="import-imported"]')?.textContent ?? '';
  const states = [...document.querySelectorAll('li[data-state]')].map((li) =>
    li.getAttribute('data-state'),
  );
  return `${imported} ${states.join(',')}`;
}

describe('import of the privacy export', () => {
  let h: Harness;
  let dir: string;
  let zipPath: string;
  let expected: { key: string; streams: number }[];
  let extendedPlays: number;

  beforeAll(async () => {
    const files = generateExport({ from: FROM, to: TO, accountData: true });
    dir = await mkdtemp(join(tmpdir(), 'mtm-import-'));
    zipPath = join(dir, 'my_spotify_data.zip');
    await writeFile(zipPath, zipExport(files));
    // the truth: every music play of the extended history, nothing else
    const plays: Play[] = files
      .filter((f) => /Streaming_History_Audio_/.test(f.name))
      .flatMap(
        (f) => parseExportFile(f.name, f.text, { accountId: 'x', now: Date.parse(START) }).plays,
      );
    extendedPlays = plays.length;
    expected = diaryMonths(plays, [], 'UTC').map((m) => ({ key: m.key, streams: m.streams }));
    h = await startHarness({ emulatorStart: START });
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function openImportPage(): Promise<void> {
    await h.page.goto(`${h.baseUrl}/import`);
    await h.page.getByRole('heading', { name: 'Import your Spotify history' }).waitFor();
  }

  /** Imports the zip on the import page and waits for the end. */
  async function importToTheEnd(): Promise<void> {
    await h.page.getByTestId('import-input').setInputFiles(zipPath);
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 180_000 });
  }

  // A new profile, connected, whose import the tab's reload cut off mid-file.
  // The second test finishes that import, so it comes last.
  describe('an import cut off by a reload', () => {
    beforeAll(async () => {
      await h.reset();
      await h.connect();
      await openImportPage();
      await h.page.getByTestId('import-input').setInputFiles(zipPath);
      // the first file (15,000 plays) is written
      await h.page.waitForFunction(
        () =>
          Number(
            document
              .querySelector('[data-testid="import-imported"]')
              ?.textContent?.replace(/\D/g, ''),
          ) >= 4_000,
      );
      // A file's plays are written in one transaction with its journal row's
      // `done`. The page now holds the plays store, so no later file can be
      // written: the reload below lands mid-file however fast the worker is
      // (on a busy machine it used to finish a file before the reload).
      await h.page.evaluate(holdPlaysStore);
      // A file marked `writing` after that can only stay so. (The journal
      // itself cannot be read now: a read of it waits behind the worker's
      // blocked write, which includes it.) What the page shows of the files
      // settles once a file that was being written when the hold came has
      // said it is done.
      const deadline = Date.now() + 60_000;
      let last = '';
      let since = Date.now();
      for (;;) {
        const now = await h.page.evaluate(importProgress);
        if (now !== last) [last, since] = [now, Date.now()];
        else if (last.includes('writing') && Date.now() - since >= 1_000) break;
        if (Date.now() > deadline) throw new Error(`the import did not settle mid-file: ${last}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // the tab goes away: worker and page die mid-file
      await h.page.reload();
    });

    it('a reload mid-import leaves the cut-off file for the next import to finish', async () => {
      await h.page.getByRole('heading', { name: 'Import your Spotify history' }).waitFor();
      expect(await h.page.getByText('Download your data').count()).toBe(1);
      await h.page.getByTestId('import-unfinished').waitFor();
      expect(await h.page.getByTestId('import-unfinished').textContent()).toMatch(
        /Streaming_History_Audio_\d{4}/,
      );
    });

    it('imports the zip again to the end, counting account-data rows, the recent capture and the cut-off part as known', async () => {
      await importToTheEnd();
      const number = async (id: string): Promise<number> =>
        Number((await h.page.getByTestId(id).textContent())!.replace(/\D/g, ''));
      const read = await number('import-read');
      const imported = await number('import-imported');
      const duplicates = await number('import-duplicates');
      expect(read).toBeGreaterThan(extendedPlays);
      expect(imported + duplicates).toBe(read);
      // the first attempt wrote at least 4,000 plays, and the recent capture was replaced by export rows
      expect(imported).toBeLessThanOrEqual(extendedPlays - 4_000);
      expect(await h.page.getByTestId('import-errors').count()).toBe(0);
      expect(await h.page.getByTestId('import-unfinished').count()).toBe(0);
      await h.expectAccessible('import page, finished');
    });
  });

  // A new profile, connected, with the whole zip imported. Importing it once
  // more changes nothing, so these tests can share it.
  describe('after a finished import', () => {
    beforeAll(async () => {
      await h.reset();
      await h.connect();
      await openImportPage();
      await importToTheEnd();
    });

    it('shows every month of the export in the diary with the streams core computes', async () => {
      await h.page.goto(`${h.baseUrl}/diary`);
      await h.page.getByRole('heading', { name: 'Your diary' }).waitFor();
      await h.page.locator(`a.month[href="/diary/${expected[0]!.key}"]`).waitFor();
      const shown = await h.page.locator('a.month').evaluateAll((links) =>
        links.map((a) => ({
          key: a.getAttribute('href')!.replace('/diary/', ''),
          text: a.textContent ?? '',
        })),
      );
      expect(shown.map((m) => m.key).sort()).toEqual(expected.map((m) => m.key).sort());
      for (const m of expected) {
        const text = shown.find((s) => s.key === m.key)!.text;
        expect(text, m.key).toMatch(new RegExp(`\\b${m.streams} streams?\\b`));
      }
      expect(expected.length).toBeGreaterThanOrEqual(27);
    });

    it('importing the same zip again adds nothing', async () => {
      await openImportPage();
      await importToTheEnd();
      expect(await h.page.getByTestId('import-imported').textContent()).toBe('0');
      expect(await h.page.getByText('Nothing new').count()).toBe(1);
    });
  });
});
