// Benchmark, not a test: the journey of issue 13 at full size in headless
// Chromium against the demo server. A imports a generated 10-year export and
// turns sync on (the whole diary goes up); B, a new profile of the same
// listener, adds itself with the key. Reports the time A took to send, the
// time B took from "Add this device" to "This device is added", and what the
// relay stores, against the same plays gzip-compressed.
//
//   cd apps/web && pnpm exec tsx bench/device-sync-chromium.ts [years]
//   (@mtm/web and @mtm/server built)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { CHROMIUM_FLAGS, chromiumPath, startHarness } from '../e2e/harness';

const START = '2024-06-15T12:00:00Z';
const years = Number(process.argv[2] ?? 10);
const to = Date.parse(START) + 3_600_000;
const from = to - years * 365.25 * 86_400_000;

const dir = await mkdtemp(join(tmpdir(), 'mtm-sync-bench-'));
const files = generateExport({ from, to, accountData: false });
const zipPath = join(dir, 'my_spotify_data.zip');
await writeFile(zipPath, zipExport(files));
const audio = files.filter((f) => /Streaming_History_Audio_/.test(f.name));
const rawGzip = gzipSync(audio.map((f) => f.text).join('\n'), { level: 6 }).length;

const h = await startHarness({ emulatorStart: START, env: { DATA_DIR: join(dir, 'data') } });
const other = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
const statusText = '[data-testid="sync-status"][data-state="idle"]';
try {
  await h.connect();
  await h.page.goto(`${h.baseUrl}/import`);
  let t = performance.now();
  await h.page.getByTestId('import-input').setInputFiles(zipPath);
  await h.page
    .locator('[data-testid="import-status"][data-phase="finished"]')
    .waitFor({ timeout: 600_000 });
  const importMs = performance.now() - t;

  await h.page.goto(`${h.baseUrl}/settings`);
  t = performance.now();
  await h.page.getByTestId('sync-enable').click();
  const key = ((await h.page.getByTestId('sync-key').textContent()) ?? '').trim();
  await h.page.locator(statusText, { hasText: 'sent' }).waitFor({ timeout: 600_000 });
  const upMs = performance.now() - t;
  const status = await h.page.evaluate(async () => (await fetch('/sync/status')).json());

  const context = await other.newContext({ timezoneId: 'UTC', locale: 'en-GB' });
  const { now } = await h.emulator.get<{ now: number }>('/_emulator/clock');
  await context.clock.setSystemTime(now);
  const b = await context.newPage();
  await b.goto(h.baseUrl);
  await b.getByRole('link', { name: 'Connect Spotify' }).first().click();
  await b.waitForURL(/\/accounts\/authorize/);
  await b.locator('#account-listener').check();
  await b.locator('#agree').click();
  await b.waitForURL(/\/diary\/\d{4}-\d{2}$/, { timeout: 60_000 });
  await b.goto(`${h.baseUrl}/settings`);
  await b.getByTestId('sync-key-input').fill(key);
  const progress: string[] = [];
  const watch = setInterval(() => {
    void b
      .getByTestId('sync-status')
      .textContent()
      .then((s) => s && progress.push(s.trim()))
      .catch(() => undefined);
  }, 1000);
  t = performance.now();
  await b.getByTestId('sync-join').click();
  await b.getByTestId('sync-done').filter({ hasText: 'This device is added' }).waitFor({
    timeout: 600_000,
  });
  const downMs = performance.now() - t;
  clearInterval(watch);
  const done = (await b.getByTestId('sync-done').textContent())?.trim();

  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(2)} MB`;
  console.log(
    [
      `${years} years, ${audio.length} export files: A imported in ${(importMs / 1000).toFixed(1)} s`,
      `A turned sync on and sent the diary in ${(upMs / 1000).toFixed(1)} s: relay holds ${status.records} records, ${mb(status.bytes)}; the export's audio JSON gzip -6 is ${mb(rawGzip)}`,
      `B added itself in ${(downMs / 1000).toFixed(1)} s: ${done}`,
      `B's status line meanwhile: ${[...new Set(progress)].slice(0, 6).join(' | ')}`,
    ].join('\n'),
  );
} finally {
  await other.close();
  await h.close();
  await rm(dir, { recursive: true, force: true });
}
