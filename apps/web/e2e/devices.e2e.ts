// Issue 13's journey in Chromium: two browser profiles of one emulator
// account against one demo server. A imports a privacy export, turns sync on
// and reads the key; B connects, adds itself with that key and shows the
// same months. What B captures reaches A. A third profile with a wrong key
// gets a clear error and none of the diary. A removes a device: a new key,
// B is told and sends nothing until given it. Then the relay's SQLite file
// (in a DATA_DIR of the test's own) is read byte by byte: no track id, track
// or artist name, or play time is in it in plain text.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { CHROMIUM_FLAGS, chromiumPath, startHarness, type Harness } from './harness';
import { keyToCode, newRawKey } from '../src/lib/devices/sync-key';

const START = '2024-06-15T12:00:00Z';
const FROM = Date.UTC(2022, 2, 1);
const TO = Date.parse(START) + 3_600_000;

interface ExportRow {
  ts: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  spotify_track_uri: string | null;
}

describe('the same diary on two devices (issue 13)', () => {
  let h: Harness;
  let dir: string;
  let dataDir: string;
  let zipPath: string;
  let rows: ExportRow[];
  let other: Browser;
  const contexts: BrowserContext[] = [];
  let b: Page;
  let key: string;
  /** Months from the export's first to the emulator's now. */
  let expectedMonths: number;

  /** The diary's months as the page lists them now: link, streams and snapshots. */
  const listed = (p: Page) =>
    p
      .locator('a.month')
      .evaluateAll((els) =>
        els.map((e) => `${e.getAttribute('href')} ${e.textContent?.replace(/\s+/g, ' ').trim()}`),
      );

  /** The diary's months once its first list is on screen (it may be the last one computed). */
  const monthsOn = async (p: Page) => {
    await p.goto(`${h.baseUrl}/diary`);
    await p.locator('a.month').first().waitFor({ timeout: 60_000 });
    return listed(p);
  };

  /**
   * Both diaries open, until they list the same months with the same counts:
   * the diary first shows the timeline it computed last, then the one it
   * computes now, so the final lists are awaited, not the first ones.
   */
  async function sameMonths(x: Page, y: Page, check: (months: string[]) => boolean = () => true) {
    await Promise.all([monthsOn(x), monthsOn(y)]);
    let last: string[][] = [];
    await expect
      .poll(
        async () => {
          last = [await listed(x), await listed(y)];
          return JSON.stringify(last[0]) === JSON.stringify(last[1]) && check(last[0]!);
        },
        { timeout: 30_000 },
      )
      .toBe(true);
    return last[0]!;
  }

  /** Another device: a new profile, connected as the same emulator listener. */
  async function newDevice(): Promise<Page> {
    const context = await other.newContext({
      timezoneId: 'UTC',
      locale: 'en-GB',
      viewport: { width: 412, height: 860 },
    });
    contexts.push(context);
    const { now } = await h.emulator.get<{ now: number }>('/_emulator/clock');
    await context.clock.setSystemTime(now);
    const page = await context.newPage();
    await page.goto(h.baseUrl);
    await page.getByRole('link', { name: 'Connect Spotify' }).first().click();
    await page.waitForURL(/\/accounts\/authorize/);
    await page.locator('#account-listener').check();
    await page.locator('#agree').click();
    await page.waitForURL(/\/diary\/\d{4}-\d{2}$/, { timeout: 60_000 });
    return page;
  }

  const status = (p: Page) => p.getByTestId('sync-status');

  const runs = async (p: Page) => Number(await status(p).getAttribute('data-runs'));

  /** Waits until the status line is idle after a finished run, and returns its words. */
  async function synced(p: Page, after = 0): Promise<string> {
    await p.waitForFunction(
      (n) => {
        const el = document.querySelector('[data-testid="sync-status"]');
        return (
          el?.getAttribute('data-state') === 'idle' &&
          Number(el.getAttribute('data-runs')) > n &&
          el.textContent?.includes('Synced at')
        );
      },
      after,
      { timeout: 90_000 },
    );
    return (await status(p).textContent())?.trim() ?? '';
  }

  /** Settings › Devices, the run its opening starts, then one more by "Sync now". */
  async function syncNow(p: Page): Promise<string> {
    await p.goto(`${h.baseUrl}/settings`);
    await synced(p);
    const n = await runs(p);
    await p.getByTestId('sync-now').click();
    return synced(p, n);
  }

  async function addWithKey(p: Page, code: string): Promise<void> {
    await p.goto(`${h.baseUrl}/settings`);
    await p.getByTestId('sync-key-input').fill(code);
    await p.getByTestId('sync-join').click();
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-devices-'));
    dataDir = join(dir, 'data');
    const files = generateExport({ from: FROM, to: TO, accountData: true });
    zipPath = join(dir, 'my_spotify_data.zip');
    await writeFile(zipPath, zipExport(files));
    rows = files
      .filter((f) => /Streaming_History_Audio_/.test(f.name))
      .flatMap((f) => JSON.parse(f.text) as ExportRow[]);
    expectedMonths = new Set(rows.map((r) => r.ts.slice(0, 7))).size;
    h = await startHarness({ emulatorStart: START, env: { DATA_DIR: dataDir } });
    other = await chromium.launch({
      executablePath: chromiumPath(),
      args: CHROMIUM_FLAGS,
      headless: true,
    });

    // A: connected, the export imported, sync turned on
    await h.connect();
    await h.page.goto(`${h.baseUrl}/import`);
    await h.page.getByTestId('import-input').setInputFiles(zipPath);
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 180_000 });
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByTestId('sync-enable').click();
    key = ((await h.page.getByTestId('sync-key').textContent()) ?? '').trim();
    await synced(h.page);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await other?.close();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('A shows the key once, as a code and a QR code, with the plain words', async () => {
    expect(key).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    await expect(
      h.page.getByRole('img', { name: 'The sync key as a QR code' }).count(),
    ).resolves.toBe(1);
    await expect(
      h.page.getByText('nobody, including us, can read that copy').count(),
    ).resolves.toBe(1);
    await h.expectAccessible('settings with the sync key');
    await h.page.getByRole('button', { name: 'I have saved it' }).click();
    await expect(h.page.getByTestId('sync-key').count()).resolves.toBe(0);
  });

  it('B adds itself with the key and shows the same months as A', async () => {
    b = await newDevice();
    // the export's years are only on A: B's own capture is a few weeks
    expect((await monthsOn(b)).length).toBeLessThan(expectedMonths);

    await addWithKey(b, key);
    await b
      .getByTestId('sync-done')
      .filter({ hasText: 'This device is added' })
      .waitFor({ timeout: 90_000 });
    // B sent what only it had (its own snapshot); A's next run brings it
    await syncNow(h.page);
    const months = await sameMonths(h.page, b, (m) => m.length === expectedMonths);
    // and a month of the export shows the same ranked tracks on both
    const first = months.at(-1)!.split(' ')[0]!;
    const topTracks = async (p: Page) => {
      await p.goto(`${h.baseUrl}${first}`);
      await p.locator('ol.tracks li').first().waitFor({ timeout: 30_000 });
      return p.locator('ol.tracks li').allTextContents();
    };
    expect(await topTracks(b)).toEqual(await topTracks(h.page));
  });

  it('what B captures reaches A at its next sync', async () => {
    // a day later on both devices
    const { now } = await h.emulator.post<{ now: number }>('/_emulator/clock', {
      advanceMs: 86_400_000,
    });
    await contexts[0]!.clock.setSystemTime(now);
    await h.syncBrowserClock();
    // B takes a snapshot (stored once the strip says so), and a run sends it
    await b.goto(`${h.baseUrl}/settings`);
    await synced(b);
    await b.getByRole('button', { name: 'Take a snapshot now' }).click();
    await b
      .locator('[data-sync-phase="done"]', { hasText: 'saved your top tracks' })
      .waitFor({ timeout: 60_000 });
    await syncNow(b);

    // A had none of B's snapshot; its next run brings it, so the months agree again
    await syncNow(h.page);
    const months = await sameMonths(h.page, b);
    expect(months[0]).toMatch(/3 snapshots/);
  });

  it('a third profile with a wrong key gets a clear error and none of the diary', async () => {
    const c = await newDevice();
    const own = await monthsOn(c);
    await addWithKey(c, await keyToCode(newRawKey()));
    await c
      .locator('[data-testid="sync-status"][data-state="error"]', {
        hasText: 'This key does not open the copy on the server',
      })
      .waitFor({ timeout: 60_000 });
    expect(await monthsOn(c)).toEqual(own);
    // a typo is caught before the server is asked
    const typo = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await addWithKey(c, typo);
    await c
      .locator('[data-testid="sync-status"][data-state="error"]', { hasText: 'typo' })
      .waitFor({ timeout: 30_000 });
  });

  it('removing a device makes a new key: B is told, sends nothing, and is back with the new key', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await synced(h.page);
    const n = await runs(h.page);
    await h.page.getByRole('button', { name: 'Remove a device…' }).click();
    await h.page.getByRole('button', { name: 'Make a new key' }).click();
    const next = ((await h.page.getByTestId('sync-key').textContent()) ?? '').trim();
    expect(next).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    expect(next).not.toBe(key);
    // the run that reseals everything under the new key (and deletes the old generation)
    await synced(h.page, n);

    const puts: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'PUT' && r.url().includes('/sync/')) puts.push(r.url());
    };
    b.on('request', onRequest);
    await b.goto(`${h.baseUrl}/settings`);
    await b
      .locator('[data-testid="sync-status"][data-state="error"]', {
        hasText: 'The sync key was changed on another device',
      })
      .waitFor({ timeout: 60_000 });
    b.off('request', onRequest);
    expect(puts).toEqual([]);
    await b.getByTestId('sync-key-input').fill(next);
    await b.getByTestId('sync-join').click();
    await b
      .getByTestId('sync-done')
      .filter({ hasText: 'This device is added' })
      .waitFor({ timeout: 90_000 });
    await sameMonths(h.page, b, (m) => m.length === expectedMonths);
  });

  it("the server's storage holds no track id, name, artist or play time in plain text", async () => {
    const names = await readdir(dataDir);
    expect(names).toContain('sync.sqlite');
    // the database and its write-ahead log: what the server wrote, byte for byte
    const bytes = Buffer.concat(
      await Promise.all(
        names.filter((n) => n.startsWith('sync.sqlite')).map((n) => readFile(join(dataDir, n))),
      ),
    );
    expect(bytes.length).toBeGreaterThan(100_000);
    const needles = new Set<string>();
    for (const r of rows) {
      const id = r.spotify_track_uri?.split(':')[2];
      if (id) needles.add(id);
      if (r.master_metadata_track_name && r.master_metadata_track_name.length >= 6)
        needles.add(r.master_metadata_track_name);
      if (r.master_metadata_album_artist_name && r.master_metadata_album_artist_name.length >= 6)
        needles.add(r.master_metadata_album_artist_name);
    }
    // play times as the export, JSON and the diary would write them
    for (const r of rows.slice(0, 1_000)) {
      needles.add(r.ts);
      needles.add(String(Date.parse(r.ts)));
    }
    expect(needles.size).toBeGreaterThan(1_000);
    // the search itself finds what is there: every name and id, in the export's own rows
    const exported = Buffer.from(
      rows
        .map((r) =>
          [
            r.master_metadata_track_name,
            r.master_metadata_album_artist_name,
            r.spotify_track_uri,
          ].join('\n'),
        )
        .join('\n'),
      'utf8',
    );
    const named = [...needles].filter((n) => !/^\d+$/.test(n) && !n.endsWith('Z'));
    expect(named.filter((n) => !exported.includes(n, 0, 'utf8'))).toEqual([]);
    // Text in the file, as `strings` finds it: runs of printable ASCII
    // (ciphertext makes few, short ones); a needle written in plain text lies
    // inside one. The few names with other characters are searched as UTF-8.
    const plainIn = (buf: Buffer): string[] => {
      const runs: string[] = [];
      for (let i = 0, start = 0; i <= buf.length; i++) {
        const c = buf[i];
        if (c !== undefined && c >= 0x20 && c < 0x7f) continue;
        if (i - start >= 6) runs.push(buf.toString('latin1', start, i));
        start = i + 1;
      }
      return [...needles].filter((n) =>
        /^[\x20-\x7e]*$/.test(n)
          ? runs.some((r) => r.length >= n.length && r.includes(n))
          : buf.includes(n, 0, 'utf8'),
      );
    };
    expect(plainIn(bytes)).toEqual([]);
    // the same search finds a name put among random bytes
    const planted = Buffer.concat([
      randomBytes(4096),
      Buffer.from(`\0${named[0]}\0`),
      randomBytes(4096),
    ]);
    expect(plainIn(planted)).toContain(named[0]);
  });
});
