// Benchmark, not a test: import a generated 10-year privacy export (~300,000
// plays) in headless Chromium and report wall time, peak memory and the
// longest main-thread task. Then it opens the diary and the gems page over the
// imported history (in-app navigation, the same page) and reports how long
// each took to show and its longest task. Figures go to docs/PERFORMANCE.md.
//
//   pnpm --filter @mtm/web bench:import [years]   (@mtm/web and @mtm/server built)
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { mergePlays, parseExportFile, type Play } from '@mtm/core';
import { startHarness } from '../e2e/harness';

const START = '2024-06-15T12:00:00Z';
const years = Number(process.argv[2] ?? 10);
const to = Date.parse(START) + 3_600_000;
const from = to - years * 365.25 * 86_400_000;

async function rssOfTree(rootPid: number): Promise<number> {
  // the browser and every process it started (renderer, GPU, utility): the
  // worker runs inside the renderer, so this is the import's whole footprint
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      rss.set(Number(name), Number(fields[21]) * 4096);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  for (const pid of rss.keys()) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
      if (p === rootPid) {
        total += rss.get(pid) ?? 0;
        break;
      }
    }
  }
  return total;
}

/** Playwright spawns Chromium from this process: the browser is our child. */
async function browserPid(): Promise<number | null> {
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes('(chromium')) return Number(name);
    } catch {
      // gone
    }
  }
  return null;
}

const t0 = Date.now();
const files = generateExport({ from, to, accountData: true });
const dir = await mkdtemp(join(tmpdir(), 'mtm-bench-import-'));
const zipPath = join(dir, 'my_spotify_data.zip');
const zip = zipExport(files);
await writeFile(zipPath, zip);
const rows = files
  .filter((f) => f.name.includes('Streaming_History_Audio_'))
  .reduce((n, f) => n + (f.text.match(/"ts":/g)?.length ?? 0), 0);
console.log(
  `generated ${years} years: ${rows} extended rows, ${files.length} files, zip ${(zip.length / 1e6).toFixed(1)} MB, in ${Date.now() - t0} ms`,
);

// the CPU part alone, in Node: validation of every file, then the merge of every write chunk
{
  const t = performance.now();
  const plays: Play[] = [];
  for (const f of files)
    plays.push(
      ...parseExportFile(f.name.split('/').pop()!, f.text, { accountId: 'a', now: to }).plays,
    );
  const parseMs = performance.now() - t;
  const m = performance.now();
  for (let i = 0; i < plays.length; i += 1000)
    mergePlays(plays.slice(Math.max(0, i - 50), i), plays.slice(i, i + 1000), {
      incomingPrecision: 'second',
    });
  console.log(
    `node: parseExportFile over ${plays.length} plays ${Math.round(parseMs)} ms; mergePlays per 1,000-play chunk, all chunks ${Math.round(performance.now() - m)} ms`,
  );
}

const h = await startHarness({ emulatorStart: START });
try {
  await h.connect();
  await h.page.goto(`${h.baseUrl}/import`);
  await h.page.getByTestId('import-input').waitFor({ state: 'attached' });
  await h.page.evaluate(() => {
    const w = window as unknown as { __longest: number; __longTasks: number; __over200: number };
    w.__longest = 0;
    w.__longTasks = 0;
    w.__over200 = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__longest = Math.max(w.__longest, e.duration);
        w.__longTasks += 1;
        if (e.duration > 200) w.__over200 += 1;
        (w as unknown as { __tasks: [number, number][] }).__tasks ??= [];
        (w as unknown as { __tasks: [number, number][] }).__tasks.push([
          Math.round(e.startTime),
          Math.round(e.duration),
        ]);
      }
    }).observe({ type: 'longtask' });
  });
  const cdp = await h.context.newCDPSession(h.page);
  await cdp.send('Performance.enable');
  const pid = await browserPid();
  if (!pid) console.warn('browser process not found: no RSS figures');
  const profile = process.env['PROFILE'] === '1';
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.start');
  }
  let heapPeak = 0;
  let rssPeak = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      heapPeak = Math.max(heapPeak, metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0);
      if (pid) rssPeak = Math.max(rssPeak, await rssOfTree(pid));
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  const rssBefore = pid ? await rssOfTree(pid) : 0;
  const started = Date.now();
  const pageStart = await h.page.evaluate(() => performance.now());
  await h.page.getByTestId('import-input').setInputFiles(zipPath);
  await h.page
    .locator('[data-testid="import-status"][data-phase="finished"]')
    .waitFor({ timeout: 600_000 });
  const wall = Date.now() - started;
  sampling = false;
  await sampler;
  if (profile) {
    const { profile: p } = await cdp.send('Profiler.stop');
    const self = new Map<string, number>();
    const dt = new Map<number, number>();
    p.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (p.timeDeltas?.[i] ?? 0)));
    for (const n of p.nodes) {
      const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(k, (self.get(k) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
    }
    console.log(
      [...self]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 25)
        .map(([k, v]) => `${v.toFixed(0).padStart(7)} ms  ${k}`)
        .join('\n'),
    );
    // busy stretches between idle samples, roughly the long tasks: what fills them
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    let stretch = new Map<string, number>();
    let length = 0;
    const stretches: { ms: number; top: string }[] = [];
    const close = (): void => {
      if (length > 150_000) {
        const top = [...stretch]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(0)}ms`)
          .join(', ');
        stretches.push({ ms: Math.round(length / 1000), top });
      }
      stretch = new Map();
      length = 0;
    };
    p.samples?.forEach((id, i) => {
      const n = byId.get(id)!;
      const d = p.timeDeltas?.[i + 1] ?? 0;
      if (n.callFrame.functionName === '(idle)') return close();
      const k = `${n.callFrame.functionName || '(anon)'}@${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      stretch.set(k, (stretch.get(k) ?? 0) + d);
      length += d;
    });
    close();
    console.log(
      stretches
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 6)
        .map((x) => `${x.ms} ms: ${x.top}`)
        .join('\n'),
    );
  }
  const during = await h.page.evaluate(() => ({
    read: document.querySelector('[data-testid="import-read"]')?.textContent,
    imported: document.querySelector('[data-testid="import-imported"]')?.textContent,
    duplicates: document.querySelector('[data-testid="import-duplicates"]')?.textContent,
    longest: (window as unknown as { __longest: number }).__longest,
    longTasks: (window as unknown as { __longTasks: number }).__longTasks,
    over200: (window as unknown as { __over200: number }).__over200,
    tasks: (window as unknown as { __tasks?: [number, number][] }).__tasks ?? [],
  }));
  // the imported history, read back: the diary's months (computed, then
  // cached), then the gems over every play
  const longestSince = async (): Promise<number> =>
    h.page.evaluate(() => {
      const w = window as unknown as { __longest: number };
      const longest = w.__longest;
      w.__longest = 0;
      return Math.round(longest);
    });
  await longestSince();
  const diaryStart = Date.now();
  await h.page.getByRole('link', { name: 'Open your diary' }).click();
  await h.page.waitForFunction((n) => document.querySelectorAll('a.month').length >= n, years * 12);
  const diary = {
    ms: Date.now() - diaryStart,
    months: await h.page.locator('a.month').count(),
    longestTaskMs: await longestSince(),
  };
  const gemsStart = Date.now();
  await h.page.getByRole('link', { name: 'Gems' }).first().click();
  await h.page.getByRole('heading', { name: 'From your history' }).waitFor({ timeout: 120_000 });
  const gems = { ms: Date.now() - gemsStart, longestTaskMs: await longestSince() };
  console.log(
    JSON.stringify(
      {
        years,
        extendedRows: rows,
        zipMB: +(zip.length / 1e6).toFixed(1),
        wallMs: wall,
        read: during.read,
        imported: during.imported,
        alreadyKnown: during.duplicates,
        longestMainThreadTaskMs: Math.round(during.longest),
        longTasksOver50ms: during.longTasks,
        tasksOver200ms: during.over200,
        peakMainThreadJsHeapMB: +(heapPeak / 1e6).toFixed(1),
        chromiumRssBeforeMB: +(rssBefore / 1e6).toFixed(0),
        peakChromiumRssMB: +(rssPeak / 1e6).toFixed(0),
        slowestTasks: during.tasks
          .sort((a, b) => b[1] - a[1])
          .slice(0, 5)
          .map(([at, ms]) => `${ms} ms at +${Math.round(at - pageStart)} ms`),
        diaryAfterImport: diary,
        gemsAfterImport: gems,
        loadAverage1m: (await readFile('/proc/loadavg', 'utf8')).split(' ')[0],
      },
      null,
      2,
    ),
  );
} finally {
  await h.close();
  await rm(dir, { recursive: true, force: true });
}
