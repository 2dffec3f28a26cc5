/**
 * Relay figures for docs/PERFORMANCE.md: PUT of 50 records of 20 KB and GET
 * of a 50-record page, against the real app on SQLite and on PostgreSQL, each
 * server in its own child process (autocannon does not share its event loop),
 * loopback only, bounded in time.
 *
 *   pnpm --filter @mtm/server bench:relay                    # 3 rounds of 3 s per target
 *   BENCH_ROUNDS=5 BENCH_SECONDS=2 pnpm --filter @mtm/server bench:relay
 *   BENCH_CONNECTIONS=1 pnpm --filter @mtm/server bench:relay   # one request at a time
 *
 * PostgreSQL is a throwaway server started here (test-support/postgres.ts),
 * fsync off like the tests' (say so beside the figures); SQLite keeps its
 * production settings (WAL, synchronous=FULL) in a temporary DATA_DIR.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_RATE_LIMIT } from '../app-config.js';
import { buildApp } from '../app.js';
import { type Session, SESSION_COOKIE, sealSession } from '../session.js';
import type { SyncSettings } from '../sync/open-store.js';
import { PUBLIC_URL, testConfig } from '../test-support/config.js';
import { startPostgres } from '../test-support/postgres.js';
import { tempDataDir } from '../test-support/sync.js';

type Backend = 'sqlite' | 'postgres';
interface Ready {
  url: string;
  cookies: string[];
}

const ROUNDS = Math.min(10, Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3)));
const SECONDS = Math.min(20, Math.max(1, Number(process.env.BENCH_SECONDS ?? 5)));
/** BENCH_CONNECTIONS=1 measures one request at a time: service time without queueing */
const CONNECTIONS = Math.min(50, Math.max(1, Number(process.env.BENCH_CONNECTIONS ?? 10)));
/** distinct accounts the requests rotate through: a realistic mix, not one hot namespace */
const ACCOUNTS = 10;
const RECORDS = 50;
const RECORD_BYTES = 20 * 1024;

async function serve(backend: Backend, databaseUrl: string | null): Promise<void> {
  const data = tempDataDir();
  const key = randomBytes(32);
  const sync: SyncSettings = { dataDir: data.dir, databaseUrl, quotaBytes: 256 * 2 ** 20 };
  // production settings otherwise: logging at info (into a sink), every plugin, a rate limit
  // high enough not to trip (it still counts)
  const app = await buildApp(
    testConfig({
      sessionKeys: [key],
      rateLimit: { ...DEFAULT_RATE_LIMIT, syncPerMinute: 10_000_000 },
      sync,
    }),
    { logger: { level: 'info', stream: { write() {} } } },
  );
  const cookies = Array.from({ length: ACCOUNTS }, (_, i) => {
    const s: Session = {
      refreshToken: `rt-${i}`,
      accessToken: `at-${i}`,
      expiresAt: Date.now() + 3600_000,
      scope: 'user-top-read',
      consentAt: Date.now(),
      accountId: `bench-${backend}-${i}`,
    };
    return `${SESSION_COOKIE}=${sealSession(key, s)}`;
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url, cookies } satisfies Ready);
  process.on('message', async (m) => {
    if (m !== 'stop') return;
    await app.close();
    data.cleanup();
    process.send?.({ peakRssMiB: process.resourceUsage().maxRSS / 1024 }, () => process.exit(0));
  });
}

async function startServer(backend: Backend, databaseUrl: string | null) {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', backend, databaseUrl ?? ''], {
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

/**
 * 50 records of 20 KB (random, so incompressible like ciphertext). Each PUT
 * carries the next epoch for the same 50 ids: every record is really
 * replaced (a no-op PUT of identical records would measure only the compare),
 * and the account's data stays at 1 MB instead of filling the quota.
 */
function putBodies(): (epoch: number) => string {
  const parts = Array.from(
    { length: RECORDS },
    (_, i) =>
      `{"id":"month-${i}","epoch":EPOCH,"body":"${randomBytes(RECORD_BYTES).toString('base64url')}"}`,
  );
  const template = `{"records":[${parts.join(',')}]}`;
  const pieces = template.split('EPOCH');
  return (epoch) => pieces.join(String(epoch));
}

interface Sample {
  reqPerSec: number;
  mbPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function target(ready: Ready, kind: 'put' | 'get', body: (epoch: number) => string) {
  let n = 0;
  let epoch = 0;
  const common = { url: ready.url, connections: CONNECTIONS };
  if (kind === 'put')
    return {
      ...common,
      requests: [
        {
          method: 'PUT',
          path: '/sync/records',
          setupRequest: (req: Record<string, unknown>) => {
            n += 1;
            epoch += 1;
            return {
              ...req,
              headers: {
                origin: PUBLIC_URL,
                'content-type': 'application/json',
                cookie: ready.cookies[n % ready.cookies.length],
              },
              body: body(epoch),
            };
          },
        },
      ],
    };
  return {
    ...common,
    requests: [
      {
        method: 'GET',
        path: `/sync/records?after=0&limit=${RECORDS}`,
        setupRequest: (req: Record<string, unknown>) => {
          n += 1;
          return { ...req, headers: { cookie: ready.cookies[n % ready.cookies.length] } };
        },
      },
    ],
  };
}

/** `sentBytes`: each request's body, for PUTs (whose answers are a few bytes); GETs count what they read */
async function sample(
  opts: Parameters<typeof autocannon>[0],
  seconds: number,
  sentBytes = 0,
): Promise<Sample> {
  const r = await autocannon({ ...opts, duration: seconds });
  return {
    reqPerSec: r.requests.average,
    mbPerSec: (sentBytes ? r.requests.average * sentBytes : r.throughput.average) / 2 ** 20,
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

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function run(): Promise<void> {
  const loadBefore = load();
  const pgServer = await startPostgres();
  const url = await pgServer.createDatabase();
  const sqlite = await startServer('sqlite', null);
  const postgres = await startServer('postgres', url);
  const body = putBodies();
  const putBytes = Buffer.byteLength(body(1));
  const targets = [
    { name: 'SQLite PUT 50 x 20 KB', opts: target(sqlite.ready, 'put', body), sent: putBytes },
    {
      name: 'PostgreSQL PUT 50 x 20 KB',
      opts: target(postgres.ready, 'put', body),
      sent: putBytes,
    },
    { name: 'SQLite GET page of 50', opts: target(sqlite.ready, 'get', body), sent: 0 },
    { name: 'PostgreSQL GET page of 50', opts: target(postgres.ready, 'get', body), sent: 0 },
  ];
  try {
    // every account holds its 50 records before anything is measured, so each GET reads a full page
    for (const server of [sqlite, postgres])
      for (const cookie of server.ready.cookies) {
        const res = await fetch(`${server.ready.url}/sync/records`, {
          method: 'PUT',
          headers: { origin: PUBLIC_URL, 'content-type': 'application/json', cookie },
          body: body(0),
        });
        if (!res.ok) throw new Error(`bench: filling an account answered ${res.status}`);
      }
    // warm-up: JIT, connection pools
    for (const t of targets) await sample(t.opts, 2, t.sent);
    const samples = targets.map(() => [] as Sample[]);
    // interleaved rounds: the shared machine's drifting load hits every target alike
    for (let round = 0; round < ROUNDS; round += 1)
      for (const [i, t] of targets.entries())
        samples[i]?.push(await sample(t.opts, SECONDS, t.sent));
    const rss = {
      sqlite: await stopServer(sqlite.child),
      postgres: await stopServer(postgres.child),
    };

    console.log(
      `\nmachine: ${cpus().length} cores / ${Math.round(totalmem() / 2 ** 30)} GB / Node ${process.versions.node}; load average before ${loadBefore}, after ${load()}`,
    );
    console.log(
      `autocannon ${CONNECTIONS} connections over ${ACCOUNTS} accounts, ${ROUNDS} interleaved rounds of ${SECONDS} s per target after a 2 s warm-up, loopback; medians over rounds\n`,
    );
    console.log(
      `PUT body ${(putBytes / 2 ** 20).toFixed(2)} MiB of JSON (50 records of 20 KiB, base64url); MB/s = MiB moved per second (PUT: sent, GET: received)\n`,
    );
    console.log(
      '| target | req/s | MB/s | p50 ms | p99 ms (median round) | p99 ms (worst round) | non-2xx | errors | server peak RSS MiB |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    targets.forEach((t, i) => {
      const s = samples[i] as Sample[];
      const peak = t.name.startsWith('SQLite') ? rss.sqlite : rss.postgres;
      console.log(
        `| ${t.name} | ${Math.round(median(s.map((x) => x.reqPerSec)))} | ${median(s.map((x) => x.mbPerSec)).toFixed(1)} | ${median(s.map((x) => x.p50))} | ${median(s.map((x) => x.p99))} | ${Math.max(...s.map((x) => x.p99))} | ${s.reduce((n, x) => n + x.non2xx, 0)} | ${s.reduce((n, x) => n + x.errors, 0)} | ${peak.toFixed(0)} |`,
      );
      if (s.some((x) => x.non2xx > 0 || x.errors > 0)) process.exitCode = 1;
    });
    if (process.exitCode)
      console.error('some answers were not 2xx: the figures above are not valid');
  } finally {
    for (const c of [sqlite.child, postgres.child]) if (c.exitCode === null) c.kill();
    await pgServer.stop();
  }
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1)
  await serve(process.argv[serveAt + 1] as Backend, process.argv[serveAt + 2] || null);
else await run();
