// Settings' backup: export the diary of one browser profile to a JSON file,
// import it into a fresh profile and find the same months; a malformed file
// gets a clear error and writes nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, startHarness, type Harness } from './harness';

describe('backup through Settings', () => {
  let h: Harness;
  let other: Browser;
  let freshContext: BrowserContext;
  let fresh: Page;
  let dir: string;
  // the connected profile's months, and its backup as Settings saves it (for the import tests)
  let months: string[];
  let backupPath: string;

  const monthsOn = async (p: Page) => {
    await p.goto(`${h.baseUrl}/diary`);
    await p.locator('a.month').first().waitFor({ timeout: 60_000 });
    return p.locator('a.month').evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
  };

  /** Settings' export on the connected profile: the download, saved in `dir` under `name`. */
  const exportBackup = async (name?: string) => {
    await h.page.goto(`${h.baseUrl}/settings`);
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      h.page.getByTestId('backup-export').click(),
    ]);
    const path = join(dir, name ?? download.suggestedFilename());
    await download.saveAs(path);
    return { path, suggestedFilename: download.suggestedFilename() };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-backup-'));
    h = await startHarness({ emulatorStart: '2026-03-03T10:00:00Z' });
    await h.connect();
    months = await monthsOn(h.page);
    backupPath = (await exportBackup('backup.json')).path;
    other = await chromium.launch({
      executablePath: chromiumPath(),
      args: CHROMIUM_FLAGS,
      headless: true,
    });
  });
  // a new, empty profile for each test: what one test imports, the next must not find
  beforeEach(async () => {
    freshContext = await other.newContext({
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 412, height: 860 },
    });
    fresh = await freshContext.newPage();
  });
  afterEach(async () => {
    await freshContext?.close();
  });
  afterAll(async () => {
    await other?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports the diary to one JSON file', async () => {
    const { path, suggestedFilename } = await exportBackup();
    expect(suggestedFilename).toMatch(/^music-time-machine-.+-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(await readFile(path, 'utf8')) as {
      app: string;
      version: number;
      snapshots: unknown[];
      plays: unknown[];
    };
    expect(file.app).toBe('music-time-machine');
    expect(file.version).toBe(1);
    expect(file.snapshots.length).toBeGreaterThan(0);
    expect(
      await h.page
        .getByRole('status')
        .filter({ hasText: /^Saved \d+ snapshots/ })
        .count(),
    ).toBe(1);
    await h.expectAccessible('settings with backup');
  });

  it('a malformed file in a fresh profile says so and writes nothing', async () => {
    await fresh.goto(`${h.baseUrl}/settings`);
    await fresh.getByTestId('backup-import').waitFor();
    expect(await fresh.getByTestId('backup-export').isDisabled()).toBe(true);
    const input = fresh.locator('.backup input[type="file"]');

    await input.setInputFiles({
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from('this is not json'),
    });
    await expect
      .poll(() => fresh.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/not a Music Time Machine backup \(it is not JSON\)/);

    // right header, but a play without its time: rejected as a whole
    const good = JSON.parse(await readFile(backupPath, 'utf8')) as {
      plays: Record<string, unknown>[];
      snapshots: unknown[];
    };
    const broken = {
      ...good,
      plays: [...good.plays, { accountId: 'x', trackId: 'y', msPlayed: 1, source: 'recent' }],
    };
    await input.setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(broken)),
    });
    await expect
      .poll(() => fresh.getByRole('alert').textContent(), { timeout: 30_000 })
      .toMatch(/damaged and was not imported \(plays\.\d+\.playedAt: .*\)\. Nothing was changed\./);

    const rows = await fresh.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, ko) => {
        const r = indexedDB.open('music-time-machine');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      const count = (store: string) =>
        new Promise<number>((ok) => {
          const r = db.transaction(store).objectStore(store).count();
          r.onsuccess = () => ok(r.result);
        });
      const out = {
        accounts: await count('accounts'),
        snapshots: await count('snapshots'),
        plays: await count('playDays'),
        tracks: await count('tracks'),
      };
      db.close();
      return out;
    });
    expect(rows).toEqual({ accounts: 0, snapshots: 0, plays: 0, tracks: 0 });
  });

  it('imports the backup into the fresh profile, which then shows the same months', async () => {
    await fresh.goto(`${h.baseUrl}/settings`);
    await fresh.getByTestId('backup-import').waitFor();
    await fresh.locator('.backup input[type="file"]').setInputFiles(backupPath);
    await expect
      // read, checked and merged in a worker: up to a second or so on a busy machine
      .poll(
        () =>
          fresh
            .getByRole('status')
            .filter({ hasText: /^Imported/ })
            .count(),
        { timeout: 30_000 },
      )
      .toBe(1);
    expect(
      await fresh.getByText(/Imported \d+ snapshots, \d+ plays and \d+ tracks\./).count(),
    ).toBe(1);
    expect(await monthsOn(fresh)).toEqual(months);

    // the same file again adds nothing
    await fresh.goto(`${h.baseUrl}/settings`);
    await fresh.locator('.backup input[type="file"]').setInputFiles(backupPath);
    await fresh.getByText('Everything in this backup was already on this device.').waitFor();
  });
});
