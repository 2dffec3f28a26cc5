// Benchmark, not a test: a phone that imported 10 years under schema v2 (one
// row per play) opens the app after the update to v3 (one row per day). How
// long until the diary shows, and what is the longest main-thread task?
// Figures go to docs/PERFORMANCE.md.
//
//   pnpm --filter @mtm/web bench:upgrade [years]   (@mtm/web and @mtm/server built)
//
// It connects as usual (a v3 database with the account), then on a page of
// the same origin that runs no app code rebuilds that database as version 2
// would have left it, adds the generated export's plays one row each, and
// opens /diary: Dexie upgrades to v3 before the diary reads anything.
import { readFile } from 'node:fs/promises';
import { generateExport } from '@mtm/spotify-emulator';
import { parseExportFile, type Play } from '@mtm/core';
import { startHarness } from '../e2e/harness';
import { readPlayDays, rebuildAsV2 } from '../e2e/v2-database';

const START = '2024-06-15T12:00:00Z';
const years = Number(process.argv[2] ?? 10);
const to = Date.parse(START) + 3_600_000;
const from = to - years * 365.25 * 86_400_000;

const plays: Omit<Play, 'accountId'>[] = [];
for (const f of generateExport({ from, to })) {
  const parsed = parseExportFile(f.name.split('/').pop()!, f.text, { accountId: '', now: to });
  for (const p of parsed.plays)
    plays.push({
      playedAt: p.playedAt,
      trackId: p.trackId,
      msPlayed: p.msPlayed,
      source: p.source,
    });
}
console.log(`generated ${years} years: ${plays.length} plays`);

const h = await startHarness({ emulatorStart: START });
try {
  await h.connect();
  const t0 = Date.now();
  const v2 = await rebuildAsV2(h.page, h.baseUrl, plays);
  console.log(
    `version-2 database written: ${v2.plays.length} play rows (${plays.length} generated) in ${Date.now() - t0} ms`,
  );

  await h.page.addInitScript(() => {
    const w = window as unknown as { __longest: number; __over50: number; __tasks: string[] };
    w.__longest = 0;
    w.__over50 = 0;
    w.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__longest = Math.max(w.__longest, e.duration);
        w.__over50 += 1;
        w.__tasks.push(
          `${Math.round(e.duration)} ms at ${Math.round(e.startTime)} ms (${location.pathname})`,
        );
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  const started = Date.now();
  await h.page.goto(`${h.baseUrl}/diary`);
  await h.page.waitForFunction(
    (n) => document.querySelectorAll('a.month').length >= n,
    years * 12,
    { timeout: 600_000 },
  );
  const ms = Date.now() - started;
  // the long tasks first: reading every play back below is one long task of its own
  const longest = await h.page.evaluate(() => {
    const w = window as unknown as { __longest: number; __over50: number; __tasks: string[] };
    return { longest: Math.round(w.__longest), over50: w.__over50, tasks: w.__tasks };
  });
  const after = await readPlayDays(h.page);
  console.log(
    JSON.stringify(
      {
        years,
        v2PlayRows: v2.plays.length,
        openToDiaryMs: ms,
        months: await h.page.locator('a.month').count(),
        idbVersionAfter: after.version,
        playsStoreGone: !after.stores.includes('plays'),
        dayRows: after.dayRows,
        playsAfter: after.plays.length,
        samePlaysAsV2: JSON.stringify(after.plays) === JSON.stringify(v2.plays),
        longestMainThreadTaskMs: longest.longest,
        longTasksOver50ms: longest.over50,
        longTasks: longest.tasks,
        loadAverage1m: (await readFile('/proc/loadavg', 'utf8')).split(' ')[0],
      },
      null,
      2,
    ),
  );
} finally {
  await h.close();
}
