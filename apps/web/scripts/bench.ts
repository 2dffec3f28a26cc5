// Performance figures for docs/perf/web.md (not a test: timings vary by machine).
//   pnpm --filter @mtm/web bench        (after building @mtm/web and @mtm/server)
// 1. First-load JS of the diary page: every script the page fetches on a first
//    visit (fresh profile, no service worker yet), gzip-compressed here at level 9.
// 2. Offline cold start: Chromium closed and restarted on the same profile,
//    network off, server stopped; time from navigation to the diary's month
//    list on screen. Median of RUNS.
import { gzipSync } from 'node:zlib';
import { startHarness } from '../e2e/harness';

const RUNS = 7;

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
    const report = {
      firstLoadJsGzipKB: +(jsGzip / 1024).toFixed(1),
      scriptFiles: scripts.size,
      offlineColdStartMs: { medianWall: Math.round(median(wall)), medianSinceNavigationStart: Math.round(median(inPage)), runs: wall.map(Math.round) },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await h.close();
  }
}

await main();
