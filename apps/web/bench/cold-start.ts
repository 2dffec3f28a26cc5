// Performance figures for docs/PERFORMANCE.md (not a test: timings vary by machine).
//   pnpm --filter @mtm/web bench        (after building @mtm/web and @mtm/server)
// 1. First-load JS of the diary page: every script the page fetches on a first
//    visit (fresh profile, no service worker yet), gzip-compressed here at level 9.
// 2. Offline cold start: Chromium closed and restarted on the same profile,
//    network off, server stopped; time from navigation to the diary's month
//    list on screen. Median of RUNS.
// 3. The same with a big history: BIG_PLAYS plays over ten years written
//    straight into IndexedDB (what an import of a 10-year export leaves), then
//    the timeline and one month page, cold and offline.
import { gzipSync } from 'node:zlib';
import { startHarness } from '../e2e/harness';

const RUNS = 7;
const BIG_RUNS = 3;
const BIG_PLAYS = 300_000;

// Runs in the page. Plain JavaScript on purpose (see the evaluate call).
// Plays go in as schema v3 stores them (src/lib/db/schema.ts, PlayDayRow): one
// row per account and UTC day, parallel columns sorted by end time; days the
// first sync already holds are left as they are.
const SEED_PLAYS = `async (total) => {
  const req = indexedDB.open('music-time-machine');
  const db = await new Promise((res, rej) => { req.onsuccess = () => res(req.result); req.onerror = () => rej(req.error); });
  const read = (store, op) => new Promise((res, rej) => {
    const r = op(db.transaction(store).objectStore(store));
    r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
  });
  const accountId = (await read('meta', (os) => os.get('device:currentAccount'))).value;
  const trackIds = await read('tracks', (os) => os.getAllKeys());
  const synced = new Set((await read('playDays', (os) => os.getAllKeys())).filter((k) => k[0] === accountId).map((k) => k[1]));
  const end = Date.now();
  const span = 10 * 365 * 86400000;
  const rows = [];
  let seeded = 0;
  for (let done = 0; done < total; done++) {
    const playedAt = end - span + Math.floor((done / total) * span);
    const day = Math.floor(playedAt / 86400000);
    if (synced.has(day)) continue;
    let row = rows[rows.length - 1];
    if (!row || row.day !== day) rows.push(row = { accountId, day, playedAt: [], trackId: [], msPlayed: [], source: [] });
    row.playedAt.push(playedAt);
    row.trackId.push(trackIds[done % trackIds.length]);
    row.msPlayed.push(20000 + (done % 7) * 30000);
    row.source.push('export');
    seeded++;
  }
  for (let i = 0; i < rows.length; i += 366) {
    const tx = db.transaction('playDays', 'readwrite');
    for (const row of rows.slice(i, i + 366)) tx.objectStore('playDays').put(row);
    await new Promise((res, rej) => { tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); });
  }
  // a new plays revision, as every write of db/plays.ts leaves: the cached timeline is stale
  const tx = db.transaction('meta', 'readwrite');
  tx.objectStore('meta').put({ key: accountId + ':playsRevision', value: 'seeded-by-bench' });
  await new Promise((res, rej) => { tx.oncomplete = () => res(); tx.onerror = () => rej(tx.error); });
  db.close();
  return seeded;
}`;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main(): Promise<void> {
  const h = await startHarness();
  try {
    const scripts = new Map<string, number>();
    h.page.on('response', async (res) => {
      if (res.request().resourceType() !== 'script') return;
      try {
        scripts.set(res.url(), gzipSync(await res.body(), { level: 9 }).length);
      } catch {
        // a response without a body (redirect) carries no script
      }
    });
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.getByRole('heading', { name: 'Your diary' }).waitFor();
    await h.page.waitForLoadState('networkidle');
    const jsGzip = [...scripts.values()].reduce((a, b) => a + b, 0);
    h.page.removeAllListeners('response');

    await h.connect();
    await h.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await h.stopServer();

    const wall: number[] = [];
    const inPage: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await h.restartBrowser({ offline: true });
      const t0 = performance.now();
      await h.page.goto(`${h.baseUrl}/diary`);
      await h.page.locator('a.month').first().waitFor({ timeout: 30_000 });
      wall.push(performance.now() - t0);
      inPage.push(await h.page.evaluate(() => performance.now()));
    }
    // big history: written with the raw IndexedDB API (the app's Dexie is not on window)
    await h.restartBrowser({ offline: true });
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();
    // a string, not a function: tsx would wrap a function with helpers the page lacks
    const seeded = (await h.page.evaluate(`(${SEED_PLAYS})(${BIG_PLAYS})`)) as number;
    const bigTimeline: number[] = [];
    const bigMonth: number[] = [];
    for (let i = 0; i < BIG_RUNS; i++) {
      await h.restartBrowser({ offline: true });
      let t0 = performance.now();
      await h.page.goto(`${h.baseUrl}/diary`);
      await h.page.locator('a.month').nth(100).waitFor({ timeout: 60_000 });
      bigTimeline.push(performance.now() - t0);
      const href = (await h.page.locator('a.month').nth(50).getAttribute('href')) ?? '/diary';
      await h.restartBrowser({ offline: true });
      t0 = performance.now();
      await h.page.goto(`${h.baseUrl}${href}`);
      await h.page.locator('ol.tracks > li').first().waitFor({ timeout: 60_000 });
      bigMonth.push(performance.now() - t0);
    }

    const report = {
      firstLoadJsGzipKB: +(jsGzip / 1024).toFixed(1),
      scriptFiles: scripts.size,
      offlineColdStartMs: {
        medianWall: Math.round(median(wall)),
        medianSinceNavigationStart: Math.round(median(inPage)),
        runs: wall.map(Math.round),
      },
      bigHistory: {
        plays: seeded,
        timelineColdOfflineMs: {
          median: Math.round(median(bigTimeline)),
          runs: bigTimeline.map(Math.round),
        },
        monthColdOfflineMs: {
          median: Math.round(median(bigMonth)),
          runs: bigMonth.map(Math.round),
        },
      },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await h.close();
  }
}

await main();
