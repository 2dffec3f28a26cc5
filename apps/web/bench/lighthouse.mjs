// Lighthouse benchmark (issue 12, "The first load on a phone"): Lighthouse 12,
// mobile preset (its default config: a mid-range phone, simulated slow 4G and
// a 4x slower CPU), on the built app in demo mode, twice per run:
//
//   /       first open: storage reset by Lighthouse, nothing cached, not connected
//   /diary  connected to the demo account, storage kept (service worker,
//           IndexedDB, session cookie): what a person sees when they open the app
//
// It prints the four category scores, FCP, LCP, TBT and CLS per page, and under
// each page what kept a score below 100 (console errors first). It is a
// benchmark, not a test: it exits non-zero only when something crashes.
// Figures go to docs/PERFORMANCE.md with the load average it prints.
//
//   pnpm --filter @mtm/server build && pnpm --filter @mtm/web build
//   pnpm --filter @mtm/web bench:lighthouse [--runs 3] [--json DIR] [--build DIR]
//
// Chromium: /usr/bin/chromium, or CHROME_PATH. Nothing is downloaded.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import lighthouse from 'lighthouse';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = join(here, '..', '..', '..');
const SERVER_MAIN = join(REPO_ROOT, 'apps', 'server', 'dist', 'main.js');

const CHROME_PATH = process.env['CHROME_PATH'] || '/usr/bin/chromium';

// chrome-launcher comes with lighthouse (it is what its CLI uses); resolved
// through lighthouse so that it needs no entry of its own in package.json.
const fromLighthouse = createRequire(createRequire(import.meta.url).resolve('lighthouse'));
const chromeLauncher = await import(fromLighthouse.resolve('chrome-launcher'));

const { values: args } = parseArgs({
  // `pnpm ... bench:lighthouse -- --runs 3` hands the `--` on
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
    // another build to serve, e.g. a copy kept from before a change
    build: { type: 'string', default: join(REPO_ROOT, 'apps', 'web', 'build') },
  },
});
const WEB_BUILD = resolve(args.build);
const RUNS = Math.max(1, Number(args.runs) || 1);
const JSON_DIR = args.json ? resolve(args.json) : null;

const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const METRICS = [
  'first-contentful-paint',
  'largest-contentful-paint',
  'total-blocking-time',
  'cumulative-layout-shift',
];

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? ok(addr.port) : fail(new Error('no port')),
      );
    });
  });
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * The built server in demo mode (its emulator in-process), as e2e/harness.ts
 * starts it, serving a copy of the web build taken now: a build started by
 * someone else mid-run would otherwise change the files under it (and the
 * inline script's hash in index.html no longer match the server's CSP).
 */
async function startServer() {
  if (!existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: build @mtm/server`);
  if (!existsSync(join(WEB_BUILD, 'index.html')))
    throw new Error(`${WEB_BUILD} is missing: build @mtm/web`);
  const buildCopy = await mkdtemp(join(tmpdir(), 'mtm-lighthouse-'));
  await cp(WEB_BUILD, buildCopy, { recursive: true });
  // the sync relay's SQLite file, which would otherwise go to <repo>/data
  const dataDir = await mkdtemp(join(tmpdir(), 'mtm-lighthouse-data-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      ENV_FILE: 'none',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DEMO_EMULATOR_PORT: String(await freePort()),
      WEB_BUILD_DIR: buildCopy,
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(buildCopy, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    const failed =
      child.exitCode !== null
        ? `server exited ${child.exitCode}`
        : Date.now() > deadline
          ? 'server did not start in 30 s'
          : null;
    if (failed) {
      await stop();
      throw new Error(`${failed}:\n${output}`);
    }
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { baseUrl, stop };
}

/**
 * The demo's "Connect Spotify", clicked in the same Chromium Lighthouse uses
 * (its default context, so the cookie, IndexedDB and service worker stay for
 * the next Lighthouse run): the emulator's consent page, then the diary.
 */
async function connect(chromePort, baseUrl) {
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chromePort}`);
  try {
    const context = browser.contexts()[0];
    if (!context) throw new Error('Chromium has no default context');
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.getByRole('link', { name: 'Connect Spotify' }).first().click();
    await page.waitForURL(/\/accounts\/authorize/);
    await page.locator('#account-listener').check();
    await page.locator('#agree').click();
    await page.waitForURL(/\/diary\/\d{4}-\d{2}$/, { timeout: 60_000 });
    // the first sync done, and the service worker in charge for the next load
    await page
      .locator('[data-sync-phase="done"], [data-sync-phase="failed"]')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.close();
  } finally {
    // connected over CDP: this disconnects Playwright and leaves Chromium running
    await browser.close();
  }
}

/**
 * One Lighthouse run. A run Lighthouse itself gives up on (NO_NAVSTART and
 * the like: a trace it could not read, seen when the machine is busy) is
 * repeated up to twice before it counts as a crash.
 */
async function audit(url, chromePort, disableStorageReset) {
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(url, {
      port: chromePort,
      output: 'json',
      logLevel: 'error',
      onlyCategories: CATEGORIES,
      disableStorageReset,
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { lhr } = result;
    if (!lhr.runtimeError) return { lhr, shifts: layoutShifts(result.artifacts) };
    const why = `${lhr.runtimeError.code} ${lhr.runtimeError.message}`;
    if (attempt === 3) throw new Error(`Lighthouse on ${url}: ${why}`);
    console.log(`  (${url}: ${why}; again)`);
  }
}

/**
 * The layout shifts in the trace, as moved boxes. Lighthouse 12.2.3's own
 * `layout-shifts` audit fails on this Chromium (156: a trace field it reads is
 * gone), so without this a CLS above 0 would say nothing about what moved.
 */
function layoutShifts(artifacts) {
  const events = artifacts?.Trace?.traceEvents ?? artifacts?.traces?.defaultPass?.traceEvents ?? [];
  return (
    events
      // had_recent_input is not filtered: under the mobile preset's emulated touch
      // Chromium sets it on early shifts that Lighthouse still counts
      .filter((e) => e.name === 'LayoutShift')
      .map((e) => {
        const boxes = (e.args?.data?.impacted_nodes ?? []).map(({ old_rect: o, new_rect: n }) =>
          o && n ? `${o[2]}x${o[3]} at (${o[0]},${o[1]}) -> (${n[0]},${n[1]})` : '?',
        );
        return `  layout shift ${Number(e.args?.data?.score ?? 0).toFixed(4)}: ${boxes.join('; ')}`;
      })
  );
}

function summarise(label, lhr) {
  const scores = CATEGORIES.map((c) => Math.round((lhr.categories[c]?.score ?? 0) * 100));
  const metrics = METRICS.map((id) => lhr.audits[id]?.numericValue ?? NaN);
  return { label, scores, metrics };
}

function line({ label, scores, metrics }, loadNow) {
  const [fcp, lcp, tbt, cls] = metrics;
  return (
    `${label.padEnd(7)} perf ${scores[0]}  a11y ${scores[1]}  best ${scores[2]}  seo ${scores[3]}  ` +
    `FCP ${(fcp / 1000).toFixed(1)} s  LCP ${(lcp / 1000).toFixed(1)} s  TBT ${Math.round(tbt)} ms  ` +
    `CLS ${cls.toFixed(3)}  (load ${loadNow})`
  );
}

/** What kept each category below 100: failed audits, console errors, slow requests. */
function why(lhr) {
  const out = [];
  for (const item of lhr.audits['errors-in-console']?.details?.items ?? []) {
    out.push(`  console: ${item.source ?? ''} ${String(item.description ?? '').slice(0, 160)}`);
  }
  for (const id of CATEGORIES) {
    for (const ref of lhr.categories[id]?.auditRefs ?? []) {
      const a = lhr.audits[ref.id];
      if (!a || a.score === null || a.score >= 1) continue;
      if (a.scoreDisplayMode === 'manual' || a.scoreDisplayMode === 'informative') continue;
      if (id === 'performance' && ref.weight === 0 && a.score >= 0.9) continue;
      const value = a.displayValue ? ` (${a.displayValue})` : '';
      out.push(`  ${id}: ${a.id} ${a.score.toFixed(2)}${value}: ${a.title}`);
    }
  }
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (!existsSync(CHROME_PATH)) throw new Error(`no Chromium at ${CHROME_PATH}: set CHROME_PATH`);
  console.log(
    `Lighthouse mobile preset, ${RUNS} run(s), Node ${process.version}, load at start ${load()}`,
  );
  const server = await startServer();
  const rows = { '/': [], '/diary': [] };
  try {
    for (let run = 1; run <= RUNS; run++) {
      // a new profile each run: the first open really is the first
      const chrome = await chromeLauncher.launch({
        chromePath: CHROME_PATH,
        chromeFlags: ['--headless=new', '--no-sandbox'],
      });
      try {
        const first = await audit(`${server.baseUrl}/`, chrome.port, false);
        await connect(chrome.port, server.baseUrl);
        const diary = await audit(`${server.baseUrl}/diary`, chrome.port, true);
        for (const [label, { lhr, shifts }] of [
          ['/', first],
          ['/diary', diary],
        ]) {
          const row = summarise(label, lhr);
          rows[label].push(row);
          console.log(`run ${run}: ${line(row, load())}`);
          for (const w of [...why(lhr), ...shifts]) console.log(w);
          if (JSON_DIR) {
            await mkdir(JSON_DIR, { recursive: true });
            const name = `${label === '/' ? 'home' : 'diary'}-${run}.json`;
            await writeFile(join(JSON_DIR, name), JSON.stringify(lhr, null, 1));
          }
        }
      } finally {
        await chrome.kill();
      }
    }
  } finally {
    await server.stop();
  }
  if (RUNS > 1) {
    console.log(`median of ${RUNS} runs (load at end ${load()}):`);
    for (const [label, rs] of Object.entries(rows)) {
      const scores = CATEGORIES.map((_, i) => median(rs.map((r) => r.scores[i])));
      const metrics = METRICS.map((_, i) => median(rs.map((r) => r.metrics[i])));
      console.log(`  ${line({ label, scores, metrics }, load())}`);
    }
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
