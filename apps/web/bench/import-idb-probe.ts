// Probe, not a test: how fast can this Chromium write play-shaped rows to
// IndexedDB from a worker at all, with no Dexie, no reads and no merge? The
// floor under the import's wall time (docs/PERFORMANCE.md).
//
//   pnpm --filter @mtm/web probe:idb [rows] [playsPerTransaction...]
//
// OPS=put,add,days,day-objects: which layouts to try (default put,add and put
// without the index). `put`/`add`: one row per play (schema v1-v2). `days`:
// one row per UTC day holding its plays as parallel columns (schema v3).
// `day-objects`: one row per day holding an array of play objects. Each run
// also reads every row back in one getAll().
//
// RAW=1: Chromium started directly, without Playwright's DevTools
// connection, the page reporting back by fetch (is the harness part of the cost?).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, freePort } from '../e2e/harness';

const rows = Number(process.argv[2] ?? 300_000);
const sizes = process.argv.slice(3).map(Number);

// one worker writes `rows` plays, one row each under the plays table's key and
// index, or grouped into day rows, then reads them all back
const WORKER = `
const ACCOUNT = 'probe-account-0000000000';
const base = Date.UTC(2014, 0, 1);
const playAt = (j) => ({ playedAt: base + j * 1_000_017, trackId: 'track' + String(j % 9_000).padStart(17, '0'), msPlayed: 180_000, source: 'export' });
function writeDays(s, from, to, columns) {
  let row = null;
  for (let j = from; j < to; j++) {
    const p = playAt(j);
    const day = Math.floor(p.playedAt / 86_400_000);
    if (row?.day !== day) {
      if (row) s.put(row);
      row = columns ? { accountId: ACCOUNT, day, playedAt: [], trackId: [], msPlayed: [], source: [] } : { accountId: ACCOUNT, day, plays: [] };
    }
    if (columns) { row.playedAt.push(p.playedAt); row.trackId.push(p.trackId); row.msPlayed.push(p.msPlayed); row.source.push(p.source); }
    else row.plays.push(p);
  }
  if (row) s.put(row);
}
onmessage = async (e) => {
  const { rows, size, index, name, op } = e.data;
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      const byDay = op === 'days' || op === 'day-objects';
      const s = r.result.createObjectStore('plays', { keyPath: byDay ? ['accountId', 'day'] : ['accountId', 'playedAt', 'trackId'] });
      if (index && !byDay) s.createIndex('[accountId+trackId]', ['accountId', 'trackId']);
    };
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const t0 = performance.now();
  for (let i = 0; i < rows; i += size) {
    await new Promise((res, rej) => {
      const tx = db.transaction('plays', 'readwrite', { durability: 'relaxed' });
      const s = tx.objectStore('plays');
      // a day cut by a transaction's end is written whole by neither: fine for timing
      if (op === 'days' || op === 'day-objects') writeDays(s, i, Math.min(rows, i + size), op === 'days');
      else for (let j = i; j < Math.min(rows, i + size); j++) s[op]({ accountId: ACCOUNT, ...playAt(j) });
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
  }
  const written = Math.round(performance.now() - t0);
  const t1 = performance.now();
  const stored = await new Promise((res, rej) => {
    const r = db.transaction('plays').objectStore('plays').getAll();
    r.onsuccess = () => res(r.result.length);
    r.onerror = () => rej(r.error);
  });
  postMessage({ written, read: Math.round(performance.now() - t1), stored });
  db.close();
};`;

// RAW mode: the page runs one configuration from its query and posts the time to /result
const RAW_PAGE = `<!doctype html><title>probe</title><script>
const q = Object.fromEntries(new URLSearchParams(location.search));
const w = new Worker('/w.js');
w.onmessage = (e) => fetch('/result?ms=' + e.data.written);
w.postMessage({ rows: +q.rows, size: +q.size, index: q.index === '1', name: q.name, op: q.op });
</script>`;
let onResult: ((ms: number) => void) | null = null;

const port = await freePort();
const server = createServer((req, res) => {
  if (req.url?.startsWith('/result')) {
    onResult?.(Number(new URL(req.url, 'http://x').searchParams.get('ms')));
    res.end();
    return;
  }
  if (req.url?.startsWith('/raw')) {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(RAW_PAGE);
    return;
  }
  if (req.url === '/w.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(WORKER);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>probe</title>');
});
await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
const dir = await mkdtemp(join(tmpdir(), 'mtm-idb-probe-'));
if (process.env['RAW'] === '1') {
  let n = 0;
  try {
    for (const size of sizes.length ? sizes : [5_000, 20_000]) {
      for (const [index, op] of [
        [true, 'put'],
        [false, 'put'],
      ] as const) {
        const url = `http://127.0.0.1:${port}/raw?rows=${rows}&size=${size}&index=${index ? 1 : 0}&op=${op}&name=probe-${n++}`;
        const done = new Promise<number>((r) => {
          onResult = r;
        });
        const browser = spawn(chromiumPath(), [...CHROMIUM_FLAGS, `--user-data-dir=${dir}`, url], {
          stdio: 'ignore',
        });
        const timer = setTimeout(() => browser.kill('SIGKILL'), 300_000);
        const ms = await done;
        clearTimeout(timer);
        const exited = new Promise<void>((r) => browser.once('exit', () => r()));
        browser.kill('SIGTERM');
        await exited;
        console.log(
          `raw Chromium: ${rows} rows, ${size} per transaction, ${op}(), ${index ? 'with' : 'without'} the [accountId+trackId] index: ${ms} ms (${Math.round((rows / ms) * 1000)} rows/s)`,
        );
      }
    }
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`load average (1 min): ${(await readFile('/proc/loadavg', 'utf8')).split(' ')[0]}`);
  process.exit(0);
}
const context = await chromium.launchPersistentContext(dir, {
  executablePath: chromiumPath(),
  args: CHROMIUM_FLAGS,
  headless: true,
});
try {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  let n = 0;
  for (const size of sizes.length ? sizes : [5_000, 20_000]) {
    const runs: [boolean, string][] = process.env['OPS']
      ? process.env['OPS'].split(',').map((op) => [op === 'put' || op === 'add', op])
      : [
          [true, 'put'],
          [true, 'add'],
          [false, 'put'],
        ];
    for (const [index, op] of runs) {
      const r = await page.evaluate(
        ({ rows, size, index, name, op }) =>
          new Promise<{ written: number; read: number; stored: number }>((res) => {
            const w = new Worker('/w.js');
            w.onmessage = (e) => {
              w.terminate();
              res(e.data);
            };
            w.postMessage({ rows, size, index, name, op });
          }),
        { rows, size, index, op, name: `probe-${n++}` },
      );
      const layout =
        op === 'days'
          ? 'day rows (columns)'
          : op === 'day-objects'
            ? 'day rows (play objects)'
            : `${op}(), one row per play, ${index ? 'with' : 'without'} the [accountId+trackId] index`;
      console.log(
        `${rows} plays, ${size} per transaction, ${layout}: written in ${r.written} ms (${Math.round((rows / r.written) * 1000)} plays/s), ${r.stored} rows read back in ${r.read} ms`,
      );
    }
  }
} finally {
  await context.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`load average (1 min): ${(await readFile('/proc/loadavg', 'utf8')).split(' ')[0]}`);
