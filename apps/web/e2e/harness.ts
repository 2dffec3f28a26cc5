// Reusable end-to-end harness: the real server (demo mode, emulator control
// endpoints on) on free loopback ports, and Debian's Chromium via
// playwright-core with a fresh profile. Usage:
//
//   const h = await startHarness();            // server + browser + page
//   await h.connect();                         // consent page -> diary
//   await h.emulator.post('/_emulator/faults', { rate: 0.2, kinds: ['503'] });
//   await h.expectAccessible('diary');         // axe: fails on serious/critical
//   await h.reset();                           // new profile, restarted server (beforeEach)
//   await h.close();                           // always, in afterAll
//
// Time: the emulator's clock flows with the wall clock from DEMO_EMULATOR_START
// (when given). `h.advanceClock(ms)` moves the emulator AND the browser clock
// together, so app code that compares Date.now() with Spotify's data agrees.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(here, '..', '..', '..');
const SERVER_MAIN = join(REPO_ROOT, 'apps', 'server', 'dist', 'main.js');

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  const p = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
  if (!existsSync(p))
    throw new Error(
      `Chromium not found at ${p}: apt-get install -y chromium, or set CHROMIUM_PATH`,
    );
  return p;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Imports a privacy export on the app's import page and waits until it says it finished. */
export async function importExport(page: Page, baseUrl: string, path: string): Promise<void> {
  await page.goto(`${baseUrl}/import`);
  await page.getByTestId('import-input').setInputFiles(path);
  await page
    .locator('[data-testid="import-status"][data-phase="finished"]')
    .waitFor({ timeout: 180_000 });
}

export interface HarnessOptions {
  /** ISO date for the emulator's clock at start (DEMO_EMULATOR_START). */
  emulatorStart?: string;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Browser time zone (default UTC, so month boundaries are predictable). */
  timezoneId?: string;
}

export interface EmulatorControls {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
  delete<T = unknown>(path: string): Promise<T>;
}

export interface Harness {
  /** The app, e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The in-process emulator of the server, e.g. http://127.0.0.1:41235 */
  emulatorUrl: string;
  /** The current browser context and page (replaced by restartBrowser). */
  readonly context: BrowserContext;
  readonly page: Page;
  emulator: EmulatorControls;
  /** Server output so far (for failure messages). */
  serverLog(): string;
  /**
   * Opens the app, presses Connect, agrees on the consent page, waits for the
   * diary after the first sync and (listener) for the service worker to be
   * active: a test may go offline next, and then only the worker answers.
   */
  connect(opts?: { account?: 'listener' | 'outsider' }): Promise<void>;
  /** Moves the emulator clock and the browser's clock forward together. */
  advanceClock(ms: number): Promise<number>;
  /** Sets the browser clock to the emulator's now. */
  syncBrowserClock(): Promise<number>;
  /** Waits for the sync strip to finish (done or failed) and returns its text. */
  waitForSync(): Promise<string>;
  /** Runs axe-core on the current page; throws listing serious/critical violations. */
  expectAccessible(label: string): Promise<void>;
  /**
   * Closes Chromium and starts it again on the same profile (service worker,
   * IndexedDB and cookies kept): a true cold start. `offline` cuts the network
   * before the first request.
   */
  restartBrowser(opts?: { offline?: boolean }): Promise<void>;
  stopServer(): Promise<void>;
  /** Starts the server again on the same ports (the emulator restarts too, with fresh state). */
  startServer(): Promise<void>;
  /**
   * Starts over as a new device and a new Spotify, keeping the ports: a new,
   * empty browser profile (no IndexedDB, service worker or cookies, the clock
   * not set) and a restarted server (emulator state and clock as at start).
   * About 2 s, and nothing when nothing has used the harness since it started
   * or was last reset, so a `beforeEach` costs nothing before the first test.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer /healthz within 30 s:\n${log()}`);
}

let axeSource: string | null = null;
function axe(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(SERVER_MAIN))
    throw new Error(`${SERVER_MAIN} is missing: build @mtm/server first`);
  const port = await freePort();
  const emulatorPort = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  let output = '';
  let child: ChildProcess | null = null;
  // the server's own storage (the sync relay's SQLite file): one per harness,
  // never the repository's ./data
  let dataDir = await mkdtemp(join(tmpdir(), 'mtm-e2e-data-'));

  async function startServer(): Promise<void> {
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      ENV_FILE: 'none',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      DEMO_EMULATOR_PORT: String(emulatorPort),
      DEMO_EMULATOR_CONTROLS: '1',
      ...(opts.emulatorStart ? { DEMO_EMULATOR_START: opts.emulatorStart } : {}),
      ...opts.env,
    };
    const c = spawn(process.execPath, [SERVER_MAIN], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child = c;
    await waitForHealth(baseUrl, c, () => output);
  }

  async function stopServer(): Promise<void> {
    const c = child;
    child = null;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  await startServer();
  let userDataDir = await mkdtemp(join(tmpdir(), 'mtm-e2e-'));
  const launch = (offline = false) =>
    chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      args: CHROMIUM_FLAGS,
      headless: true,
      offline,
      timezoneId: opts.timezoneId ?? 'UTC',
      locale: 'en-GB',
      viewport: { width: 412, height: 860 },
    });
  let context: BrowserContext;
  try {
    context = await launch();
  } catch (e) {
    await stopServer();
    await rm(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let page = context.pages()[0] ?? (await context.newPage());
  // set by everything that can change the browser's or the emulator's state
  let used = false;

  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    used = true;
    const res = await fetch(`${emulatorUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }
  const emulator: EmulatorControls = {
    get: (p) => control('GET', p),
    post: (p, b) => control('POST', p, b ?? {}),
    delete: (p) => control('DELETE', p),
  };

  async function syncBrowserClock(): Promise<number> {
    used = true;
    const { now } = await emulator.get<{ now: number }>('/_emulator/clock');
    await context.clock.setSystemTime(now);
    return now;
  }

  async function waitForSync(): Promise<string> {
    const strip = page.locator('[data-sync-phase="done"], [data-sync-phase="failed"]');
    await strip.first().waitFor({ timeout: 60_000 });
    return (await strip.first().textContent())?.trim() ?? '';
  }

  const h: Harness = {
    baseUrl,
    emulatorUrl,
    get context() {
      used = true;
      return context;
    },
    get page() {
      used = true;
      return page;
    },
    emulator,
    serverLog: () => output,
    async connect(o = {}) {
      used = true;
      if (opts.emulatorStart) await syncBrowserClock();
      await page.goto(baseUrl);
      await page.getByRole('link', { name: 'Connect Spotify' }).first().click();
      await page.waitForURL(/\/accounts\/authorize/);
      await page.locator(`#account-${o.account ?? 'listener'}`).check();
      await page.locator('#agree').click();
      if ((o.account ?? 'listener') !== 'listener') return;
      await page.waitForURL(/\/diary\/\d{4}-\d{2}$/, { timeout: 60_000 });
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
    },
    async advanceClock(ms) {
      await emulator.post('/_emulator/clock', { advanceMs: ms });
      return syncBrowserClock();
    },
    syncBrowserClock,
    waitForSync,
    async expectAccessible(label) {
      await page.evaluate(axe());
      const violations = await page.evaluate(async () => {
        const w = window as unknown as {
          axe: {
            run(
              ctx: Document,
              o: object,
            ): Promise<{
              violations: {
                id: string;
                impact: string | null;
                help: string;
                nodes: { target: unknown[] }[];
              }[];
            }>;
          };
        };
        const r = await w.axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          targets: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)),
        }));
      });
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (bad.length > 0) {
        throw new Error(
          `axe found ${bad.length} serious/critical violation(s) on ${label}:\n${bad.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`).join('\n')}`,
        );
      }
    },
    async restartBrowser(o = {}) {
      used = true;
      await context.close();
      context = await launch(o.offline ?? false);
      page = context.pages()[0] ?? (await context.newPage());
    },
    async stopServer() {
      used = true;
      await stopServer();
    },
    async startServer() {
      used = true;
      await startServer();
    },
    async reset() {
      if (!used) return;
      await context.close().catch(() => undefined);
      await stopServer();
      await rm(userDataDir, { recursive: true, force: true });
      userDataDir = await mkdtemp(join(tmpdir(), 'mtm-e2e-'));
      // a new Spotify is a new server copy too
      await rm(dataDir, { recursive: true, force: true });
      dataDir = await mkdtemp(join(tmpdir(), 'mtm-e2e-data-'));
      await startServer();
      context = await launch();
      page = context.pages()[0] ?? (await context.newPage());
      used = false;
    },
    async close() {
      await context.close().catch(() => undefined);
      await stopServer();
      await rm(dataDir, { recursive: true, force: true });
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
  return h;
}
