// What the device-sync journeys share (devices.e2e.ts on SQLite,
// devices-offline.e2e.ts on PostgreSQL): more browser profiles connected as
// the same emulator listener, the Devices panel driven by its test ids, the
// diary's months as each page lists them, and the search of the server's
// storage for anything an export holds in plain text.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, importExport, type Harness } from './harness';

export interface ExportRow {
  ts: string;
  master_metadata_track_name: string | null;
  master_metadata_album_artist_name: string | null;
  spotify_track_uri: string | null;
}

export interface Devices {
  /** The profiles newDevice() made, in order. */
  readonly contexts: readonly BrowserContext[];
  /**
   * Another device: a new profile on the emulator's clock, connected as the
   * same listener, its service worker active (it can go offline next).
   */
  newDevice(): Promise<Page>;
  /** The diary's months as the page lists them now: link, streams and snapshots. */
  listed(p: Page): Promise<string[]>;
  /** The diary's months once its first list is on screen (it may be the last one computed). */
  monthsOn(p: Page): Promise<string[]>;
  /**
   * The diary's months once the list has stopped changing (the same for 2 s):
   * right after a connect, the timeline computed before the first sync
   * finished may be on screen first, and the one computed after it next.
   */
  settledMonths(p: Page): Promise<string[]>;
  /**
   * Both diaries open, until they list the same months with the same counts,
   * each a checked list: the diary first shows the timeline it computed last
   * (its year sections `aria-busy` meanwhile), then the one it computes now.
   * Two cached lists can agree and both be stale (after a 10-year import the
   * check takes a second or two), so only lists not busy are compared.
   */
  sameMonths(x: Page, y: Page, check?: (months: string[]) => boolean): Promise<string[]>;
  /** Finished runs of the status line so far. */
  runs(p: Page): Promise<number>;
  /** Waits until the status line is idle after more than `after` finished runs; its words. */
  synced(p: Page, after?: number): Promise<string>;
  /** Settings › Devices, the run its opening starts, then one more by "Sync now". */
  syncNow(p: Page): Promise<string>;
  addWithKey(p: Page, code: string): Promise<void>;
  /** Turns sync on (the first device) and returns the key it shows. */
  turnOn(p: Page): Promise<string>;
  /** Imports a privacy export and waits until the import says it finished. */
  importFile(p: Page, path: string): Promise<void>;
  close(): Promise<void>;
}

export async function startDevices(h: Harness): Promise<Devices> {
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: CHROMIUM_FLAGS,
    headless: true,
  });
  const contexts: BrowserContext[] = [];
  const status = (p: Page) => p.getByTestId('sync-status');

  /**
   * The months listed, as "href text". With `checked`: null while none are
   * listed or the list shown is still being checked (a year section `aria-busy`).
   */
  const months = (p: Page, checked: boolean) =>
    p.evaluate((checked) => {
      const links = [...document.querySelectorAll('a.month')];
      if (checked && (links.length === 0 || document.querySelector('section[aria-busy="true"]')))
        return null;
      return links.map(
        (e) => `${e.getAttribute('href')} ${e.textContent?.replace(/\s+/g, ' ').trim()}`,
      );
    }, checked);
  const listed = async (p: Page) => (await months(p, false)) ?? [];
  const checkedMonths = (p: Page) => months(p, true);

  const monthsOn = async (p: Page) => {
    await p.goto(`${h.baseUrl}/diary`);
    await p.locator('a.month').first().waitFor({ timeout: 60_000 });
    return listed(p);
  };

  const runs = async (p: Page) => Number(await status(p).getAttribute('data-runs'));

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

  async function settledMonths(p: Page): Promise<string[]> {
    let last = JSON.stringify(await monthsOn(p));
    let since = Date.now();
    const deadline = Date.now() + 60_000;
    while (Date.now() - since < 2_000) {
      if (Date.now() > deadline) throw new Error('the diary kept changing for 60 s');
      await p.waitForTimeout(250);
      const now = JSON.stringify(await listed(p));
      if (now !== last) [last, since] = [now, Date.now()];
    }
    return JSON.parse(last) as string[];
  }

  return {
    contexts,
    listed,
    monthsOn,
    settledMonths,
    runs,
    synced,

    async newDevice() {
      const context = await browser.newContext({
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
      // as h.connect: the service worker is active, so the device can go offline next
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      return page;
    },

    async sameMonths(x, y, check = () => true) {
      await Promise.all([monthsOn(x), monthsOn(y)]);
      let last: string[] | null = null;
      await expect
        .poll(
          async () => {
            const [onX, onY] = [await checkedMonths(x), await checkedMonths(y)];
            last = onX;
            return onX !== null && JSON.stringify(onX) === JSON.stringify(onY) && check(onX);
          },
          { timeout: 30_000 },
        )
        .toBe(true);
      return last!;
    },

    async syncNow(p) {
      await p.goto(`${h.baseUrl}/settings`);
      await synced(p);
      const n = await runs(p);
      await p.getByTestId('sync-now').click();
      return synced(p, n);
    },

    async addWithKey(p, code) {
      await p.goto(`${h.baseUrl}/settings`);
      await p.getByTestId('sync-key-input').fill(code);
      await p.getByTestId('sync-join').click();
    },

    async turnOn(p) {
      await p.goto(`${h.baseUrl}/settings`);
      await p.getByTestId('sync-enable').click();
      const key = ((await p.getByTestId('sync-key').textContent()) ?? '').trim();
      await synced(p);
      return key;
    },

    importFile: (p, path) => importExport(p, h.baseUrl, path),

    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
    },
  };
}

/**
 * What the server must never hold in plain text, from export rows: every
 * track id, every track and artist name of 6 characters or more, and the play
 * times of the first 1,000 rows as the export, JSON and the diary write them.
 */
export function exportNeedles(rows: readonly ExportRow[]): Set<string> {
  const needles = new Set<string>();
  for (const r of rows) {
    const id = r.spotify_track_uri?.split(':')[2];
    if (id) needles.add(id);
    if (r.master_metadata_track_name && r.master_metadata_track_name.length >= 6)
      needles.add(r.master_metadata_track_name);
    if (r.master_metadata_album_artist_name && r.master_metadata_album_artist_name.length >= 6)
      needles.add(r.master_metadata_album_artist_name);
  }
  for (const r of rows.slice(0, 1_000)) {
    needles.add(r.ts);
    needles.add(String(Date.parse(r.ts)));
  }
  return needles;
}

/**
 * The needles found in `bytes` as text, as `strings` finds it: runs of
 * printable ASCII (ciphertext makes few, short ones); a needle written in
 * plain text lies inside one. The few names with other characters are
 * searched as UTF-8.
 */
export function plainTextIn(bytes: Buffer, needles: ReadonlySet<string>): string[] {
  const runs: string[] = [];
  for (let i = 0, start = 0; i <= bytes.length; i++) {
    const c = bytes[i];
    if (c !== undefined && c >= 0x20 && c < 0x7f) continue;
    if (i - start >= 6) runs.push(bytes.toString('latin1', start, i));
    start = i + 1;
  }
  return [...needles].filter((n) =>
    /^[\x20-\x7e]*$/.test(n)
      ? runs.some((r) => r.length >= n.length && r.includes(n))
      : bytes.includes(n, 0, 'utf8'),
  );
}

/**
 * Checks that the search works on these needles before trusting its empty
 * answer: every name is in the export's own rows, and one planted among
 * random bytes is found.
 */
export function expectSearchFinds(rows: readonly ExportRow[], needles: ReadonlySet<string>): void {
  expect(needles.size).toBeGreaterThan(1_000);
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
  const planted = Buffer.concat([
    randomBytes(4096),
    Buffer.from(`\0${named[0]}\0`),
    randomBytes(4096),
  ]);
  expect(plainTextIn(planted, needles)).toContain(named[0]);
}
