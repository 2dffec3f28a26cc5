/**
 * Load figures for docs/PERFORMANCE.md: /healthz and a warm /auth/token of the
 * real app beside a bare Fastify route, each server in its own child process
 * (so its peak RSS is its own and autocannon does not share its event loop),
 * loopback only, bounded in time.
 *
 *   pnpm --filter @mtm/server bench            # 5 rounds of 1 s per target
 *   BENCH_SECONDS=3 pnpm --filter @mtm/server bench
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { DEFAULT_RATE_LIMIT } from '../app-config.js';
import { buildApp } from '../app.js';
import { createWebBuildFixture } from '../test-support/web-build-fixture.js';
import { PUBLIC_URL } from '../test-support/config.js';
import { startTestEmulator, walkLogin } from '../test-support/flow.js';

type Kind = 'bare' | 'app';
interface Ready {
  url: string;
  cookie: string | null;
}

const SECONDS = Math.min(30, Math.max(1, Number(process.env.BENCH_SECONDS ?? 5)));
const CONNECTIONS = 10;

async function serve(kind: Kind): Promise<void> {
  let url: string;
  let cookie: string | null = null;
  const closers: (() => Promise<unknown>)[] = [];
  if (kind === 'bare') {
    const bare = Fastify({ logger: false });
    bare.get('/healthz', async () => ({ ok: true }));
    url = await bare.listen({ host: '127.0.0.1', port: 0 });
    closers.push(() => bare.close());
  } else {
    const emu = await startTestEmulator({ controls: false });
    const fixture = createWebBuildFixture();
    // production settings: logging on at info (into a sink), every plugin, rate limit high enough not to trip
    const app = await buildApp(
      {
        publicUrl: PUBLIC_URL,
        ...emu.client,
        sessionKeys: [randomBytes(32)],
        accountsUrl: `${emu.base}/accounts`,
        apiUrl: `${emu.base}/v1`,
        featuresUrl: `${emu.base}/reccobeats/v1`,
        webBuildDir: fixture.dir,
        demo: true,
        imageOrigins: [emu.base],
        rateLimit: { ...DEFAULT_RATE_LIMIT, tokenPerMinute: 10_000_000 },
        trustProxy: 0,
      },
      { logger: { level: 'info', stream: { write() {} } } },
    );
    const login = await walkLogin(app, emu);
    if (login.session === null) throw new Error('bench: login failed');
    cookie = `${login.sessionName}=${login.session}`;
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    closers.push(
      () => app.close(),
      () => emu.emulator.close(),
      async () => fixture.cleanup(),
    );
  }
  process.send?.({ url, cookie } satisfies Ready);
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    for (const close of closers) await close();
    // maxRSS is in KiB: the high-water mark of this server process alone
    process.send?.({ peakRssMiB: process.resourceUsage().maxRSS / 1024 }, () => process.exit(0));
  });
}

interface Sample {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function startServer(kind: Kind): Promise<{ child: ChildProcess; ready: Ready }> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind], {
    execArgv: ['--import', 'tsx'],
    stdio: 'inherit',
  });
  const [ready] = (await once(child, 'message')) as [Ready];
  return { child, ready };
}

async function stopServer(child: ChildProcess): Promise<number> {
  child.send('stop');
  const [m] = (await once(child, 'message')) as [{ peakRssMiB: number }];
  await once(child, 'exit');
  return m.peakRssMiB;
}

async function sample(opts: Parameters<typeof autocannon>[0], seconds: number): Promise<Sample> {
  const r = await autocannon({ ...opts, duration: seconds, connections: CONNECTIONS });
  return {
    reqPerSec: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * The machine is shared, so its load drifts during a run. Targets are measured
 * in interleaved 1-second rounds (bare, app, ... bare, app, ...) and each figure
 * is the median over rounds, so a busy moment hits every target alike.
 */
async function run(): Promise<void> {
  const bare = await startServer('bare');
  const app = await startServer('app');
  const targets: { name: string; opts: Parameters<typeof autocannon>[0] }[] = [
    { name: 'bare Fastify GET /healthz', opts: { url: `${bare.ready.url}/healthz` } },
    { name: 'app GET /healthz', opts: { url: `${app.ready.url}/healthz` } },
    { name: 'app GET /api/config (all headers)', opts: { url: `${app.ready.url}/api/config` } },
    {
      name: 'app POST /auth/token (warm)',
      opts: {
        url: `${app.ready.url}/auth/token`,
        method: 'POST',
        headers: {
          origin: PUBLIC_URL,
          cookie: app.ready.cookie ?? '',
          'content-type': 'application/json',
        },
        body: '{}',
      },
    },
  ];
  for (const t of targets) await sample(t.opts, 1); // warm-up: JIT, connection pools
  const samples = targets.map(() => [] as Sample[]);
  for (let round = 0; round < SECONDS; round += 1) {
    for (const [i, t] of targets.entries()) samples[i]?.push(await sample(t.opts, 1));
  }
  const rss = { bare: await stopServer(bare.child), app: await stopServer(app.child) };

  const rows = targets.map((t, i) => {
    const s = samples[i] as Sample[];
    return {
      target: t.name,
      reqPerSec: median(s.map((x) => x.reqPerSec)),
      p50: median(s.map((x) => x.p50)),
      p99: median(s.map((x) => x.p99)),
      worstP99: Math.max(...s.map((x) => x.p99)),
      non2xx: s.reduce((n, x) => n + x.non2xx, 0),
      errors: s.reduce((n, x) => n + x.errors, 0),
      rss: i === 0 ? rss.bare : rss.app,
    };
  });
  const ratios = (samples[1] as Sample[]).map(
    (s, i) => s.reqPerSec / ((samples[0] as Sample[])[i]?.reqPerSec ?? 1),
  );
  const [bareRow, , , tokenRow] = rows;
  console.log(
    `\nmachine: ${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GB / Node ${process.versions.node}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `autocannon ${CONNECTIONS} connections, ${SECONDS} interleaved 1 s rounds per target after a 1 s warm-up, loopback; medians over rounds\n`,
  );
  console.log(
    '| target | req/s | p50 ms | p99 ms (median round) | p99 ms (worst round) | non-2xx | errors | server peak RSS MiB |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| ${r.target} | ${Math.round(r.reqPerSec)} | ${r.p50} | ${r.p99} | ${r.worstP99} | ${r.non2xx} | ${r.errors} | ${r.rss.toFixed(0)} |`,
    );
  }
  const ratio = median(ratios);
  console.log(
    `\n/healthz app/bare, median of per-round ratios = ${ratio.toFixed(2)} (goal >= 0.80): ${ratio >= 0.8 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `/auth/token warm p99 = ${tokenRow?.p99} ms (goal < 10 ms): ${(tokenRow?.p99 ?? Infinity) < 10 ? 'met' : 'NOT met'}`,
  );
  if (rows.some((r) => r.non2xx > 0) || !bareRow) {
    console.error('some answers were not 2xx: the figures above are not valid');
    process.exitCode = 1;
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) await serve(process.argv[serveAt + 1] as Kind);
else await run();
