// Issue 13, the part of the journey that happens without a network, on a
// relay kept in PostgreSQL (the store for several server instances), started
// by this test: devices A and B of one emulator account share a diary; both
// go offline, and each imports a privacy export of its own (different
// months) while the other cannot hear of it; the status line says the server
// cannot be reached and nothing is lost. Back online, each sends what it has
// and receives the other's: both list the same months with the same counts,
// the union of both exports. Then the relay's PostgreSQL tables are read row
// by row: no track id, track or artist name, or play time in plain text.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
import {
  publicTableBytes,
  startPostgres,
  type TestPostgres,
} from '../../server/src/test-support/postgres';

const START = '2024-06-15T12:00:00Z';

/** One device's export: a few months no other export holds. */
async function exportOf(dir: string, name: string, from: number, to: number) {
  const files = generateExport({ from, to });
  const path = join(dir, `${name}.zip`);
  await writeFile(path, zipExport(files));
  const rows = files
    .filter((f) => /Streaming_History_Audio_/.test(f.name))
    .flatMap((f) => JSON.parse(f.text) as ExportRow[]);
  return { path, rows, months: [...new Set(rows.map((r) => r.ts.slice(0, 7)))].sort() };
}

describe('two devices offline, then back: they converge (issue 13, PostgreSQL relay)', () => {
  let postgres: TestPostgres;
  let databaseUrl: string;
  let h: Harness;
  let d: Devices;
  let dir: string;
  let a: Page;
  let b: Page;
  let x: Awaited<ReturnType<typeof exportOf>>;
  let y: Awaited<ReturnType<typeof exportOf>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-offline-'));
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    x = await exportOf(dir, 'on-a', Date.UTC(2023, 0, 1), Date.UTC(2023, 3, 1));
    y = await exportOf(dir, 'on-b', Date.UTC(2023, 6, 1), Date.UTC(2023, 9, 1));
    h = await startHarness({ emulatorStart: START, env: { SYNC_DATABASE_URL: databaseUrl } });
    d = await startDevices(h);
    await h.connect();
    a = h.page;
    const key = await d.turnOn(a);
    b = await d.newDevice();
    await d.addWithKey(b, key);
    await b
      .getByTestId('sync-done')
      .filter({ hasText: 'This device is added' })
      .waitFor({ timeout: 90_000 });

    // both offline; each imports its own export, which the other cannot hear of
    await h.context.setOffline(true);
    await d.contexts[0]!.setOffline(true);
    await d.importFile(a, x.path);
    await d.importFile(b, y.path);
  });
  afterAll(async () => {
    await d?.close();
    await h?.close();
    await postgres?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const has = (months: string[], month: string) =>
    months.some((m) => m.startsWith(`/diary/${month} `));

  /**
   * Back online (the `online` event starts a run on each device by itself),
   * then one more run each: whichever sent second has what the first lacks.
   * Once, for the tests that need it.
   */
  let online: Promise<void> | null = null;
  const backOnline = () =>
    (online ??= (async () => {
      await h.context.setOffline(false);
      await d.contexts[0]!.setOffline(false);
      await d.syncNow(a);
      await d.syncNow(b);
      await d.syncNow(a);
    })());

  it('offline, each device keeps what it imported and says the server cannot be reached', async () => {
    for (const p of [a, b]) {
      await p.goto(`${h.baseUrl}/settings`);
      await p
        .locator('[data-testid="sync-status"][data-state="error"]', {
          hasText: "The server can't be reached right now",
        })
        .waitFor({ timeout: 60_000 });
    }
    // each holds its own export's months and none of the other's
    const onA = await d.monthsOn(a);
    const onB = await d.monthsOn(b);
    for (const m of x.months) expect(has(onA, m) && !has(onB, m), m).toBe(true);
    for (const m of y.months) expect(has(onB, m) && !has(onA, m), m).toBe(true);
  });

  it('back online, both list the union of both exports with the same counts', async () => {
    await backOnline();
    const months = await d.sameMonths(a, b, (m) =>
      [...x.months, ...y.months].every((month) => has(m, month)),
    );
    // and the months of one export show the same ranked tracks on both
    for (const month of [x.months[1]!, y.months[1]!]) {
      const top = async (p: Page) => {
        await p.goto(`${h.baseUrl}/diary/${month}`);
        await p.locator('ol.tracks li').first().waitFor({ timeout: 30_000 });
        return p.locator('ol.tracks li').allTextContents();
      };
      expect(await top(b)).toEqual(await top(a));
    }
    expect(months.length).toBeGreaterThanOrEqual(x.months.length + y.months.length);
  });

  it("the relay's PostgreSQL tables hold no track id, name, artist or play time in plain text", async () => {
    await backOnline();
    const { tables, bytes } = await publicTableBytes(databaseUrl);
    expect(tables).toEqual(['sync_namespaces', 'sync_records']);
    expect(bytes.length).toBeGreaterThan(20_000);
    const rows = [...x.rows, ...y.rows];
    const needles = exportNeedles(rows);
    expectSearchFinds(rows, needles);
    expect(plainTextIn(bytes, needles)).toEqual([]);
  });
});
