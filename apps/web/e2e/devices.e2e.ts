// Issue 13's journey in Chromium: two browser profiles of one emulator
// account against one demo server. A imports a ten-year privacy export (with
// the account-data files beside the extended history), turns sync on
// and reads the key; B connects, adds itself with that key and shows the
// same months. What B captures reaches A. A third profile with a wrong key
// gets a clear error and none of the diary. A removes a device: a new key,
// B is told and sends nothing until given it. Then the relay's SQLite file
// (in a DATA_DIR of the test's own) is read byte by byte: no track id, track
// or artist name, or play time is in it in plain text.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from './harness';
import {
  expectSearchFinds,
  exportNeedles,
  plainTextIn,
  startDevices,
  type Devices,
  type ExportRow,
} from './devices-support';
import { keyToCode, newRawKey } from '../src/lib/devices/sync-key';

const START = '2024-06-15T12:00:00Z';
// Ten years, as the journey asks. The transfer's figures are measured
// by bench/device-sync-chromium.ts.
const FROM = Date.UTC(2014, 5, 15);
const TO = Date.parse(START) + 3_600_000;

describe('the same diary on two devices (issue 13)', () => {
  let h: Harness;
  let d: Devices;
  let dir: string;
  let dataDir: string;
  let zipPath: string;
  let rows: ExportRow[];
  let b: Page;
  let key: string;
  /** Months from the export's first to the emulator's now. */
  let expectedMonths: number;

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
    d = await startDevices(h);

    // A: connected, the export imported, sync turned on
    await h.connect();
    await d.importFile(h.page, zipPath);
    key = await d.turnOn(h.page);
  });
  afterAll(async () => {
    await d?.close();
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

  it('B adds itself with the key and shows the same months and gems as A', async () => {
    b = await d.newDevice();
    // the export's years are only on A: B's own capture is a few weeks
    expect((await d.monthsOn(b)).length).toBeLessThan(expectedMonths);

    await d.addWithKey(b, key);
    await b
      .getByTestId('sync-done')
      .filter({ hasText: 'This device is added' })
      .waitFor({ timeout: 90_000 });
    // B sent what only it had (its own snapshot); A's next run brings it
    await d.syncNow(h.page);
    const months = await d.sameMonths(h.page, b, (m) => m.length === expectedMonths);
    // and a month of the export shows the same ranked tracks on both
    const first = months.at(-1)!.split(' ')[0]!;
    const topTracks = async (p: Page) => {
      await p.goto(`${h.baseUrl}${first}`);
      await p.locator('ol.tracks li').first().waitFor({ timeout: 30_000 });
      return p.locator('ol.tracks li').allTextContents();
    };
    expect(await topTracks(b)).toEqual(await topTracks(h.page));

    // and the same forgotten gems, in the same order, with the same words
    const gems = (p: Page) => p.locator('ol.gems li').allTextContents();
    for (const p of [h.page, b]) {
      await p.goto(`${h.baseUrl}/gems`);
      await p.locator('ol.gems li').first().waitFor({ timeout: 60_000 });
    }
    expect((await gems(h.page)).length).toBeGreaterThan(3);
    await expect
      .poll(async () => JSON.stringify(await gems(b)) === JSON.stringify(await gems(h.page)), {
        timeout: 30_000,
      })
      .toBe(true);
  });

  it('what B captures (its plays and a snapshot) reaches A at its next sync', async () => {
    const streams = (month: string) =>
      Number(/(\d[\d,]*) streams/.exec(month)?.[1]?.replace(/,/g, ''));
    const before = (await d.sameMonths(h.page, b))[0]!;
    // A cannot hear Spotify's recent plays from here on: what it shows of the
    // new day can only have come from B, through the relay
    const recent = `${h.emulatorUrl}/v1/me/player/recently-played**`;
    await h.page.context().route(recent, (r) => r.abort('internetdisconnected'));
    try {
      // a day later on both devices, and a day of listening on the account
      const { now } = await h.emulator.post<{ now: number }>('/_emulator/clock', {
        advanceMs: 86_400_000,
      });
      await d.contexts[0]!.clock.setSystemTime(now);
      await h.syncBrowserClock();
      // B captures the day's plays and a snapshot (stored once the strip says so), and a run sends them
      await b.goto(`${h.baseUrl}/settings`);
      await d.synced(b);
      await b.getByRole('button', { name: 'Take a snapshot now' }).click();
      await b
        .locator('[data-sync-phase="done"]', { hasText: 'saved your top tracks' })
        .waitFor({ timeout: 60_000 });
      await d.syncNow(b);

      // A had none of them; its next run brings them, so the months agree again
      await d.syncNow(h.page);
      const months = await d.sameMonths(h.page, b);
      expect(months[0]).toMatch(/3 snapshots/);
      expect(months[0]!.split(' ')[0]).toBe(before.split(' ')[0]);
      expect(streams(months[0]!)).toBeGreaterThan(streams(before));
    } finally {
      await h.page.context().unroute(recent);
    }
  });

  it('a third profile with a wrong key gets a clear error and none of the diary', async () => {
    const c = await d.newDevice();
    const own = await d.settledMonths(c);
    await d.addWithKey(c, await keyToCode(newRawKey()));
    await c
      .locator('[data-testid="sync-status"][data-state="error"]', {
        hasText: 'This key does not open the copy on the server',
      })
      .waitFor({ timeout: 60_000 });
    expect(await d.settledMonths(c)).toEqual(own);
    // a typo is caught before the server is asked
    const typo = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`;
    await d.addWithKey(c, typo);
    await c
      .locator('[data-testid="sync-status"][data-state="error"]', { hasText: 'typo' })
      .waitFor({ timeout: 30_000 });
  });

  it('removing a device makes a new key: B is told, sends nothing, and is back with the new key', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await d.synced(h.page);
    const n = await d.runs(h.page);
    await h.page.getByRole('button', { name: 'Remove a device…' }).click();
    await h.page.getByRole('button', { name: 'Make a new key' }).click();
    const next = ((await h.page.getByTestId('sync-key').textContent()) ?? '').trim();
    expect(next).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    expect(next).not.toBe(key);
    // the run that reseals everything under the new key (and deletes the old generation)
    await d.synced(h.page, n);

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
    await d.sameMonths(h.page, b, (m) => m.length === expectedMonths);
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
    const needles = exportNeedles(rows);
    expectSearchFinds(rows, needles);
    expect(plainTextIn(bytes, needles)).toEqual([]);
  });
});
