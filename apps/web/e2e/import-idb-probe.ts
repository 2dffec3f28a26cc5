// Probe, not a test: how fast can this Chromium write play-shaped rows to
// IndexedDB from a worker at all, with no Dexie, no reads and no merge? The
// floor under the import's wall time (docs/PERFORMANCE.md).
//
//   cd apps/web && ../../node_modules/.bin/tsx e2e/import-idb-probe.ts [rows] [rowsPerTransaction...]
//
// RAW=1: Chromium started directly, without Playwright's DevTools
// connection, the page reporting back by fetch (is the harness part of the cost?).
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, freePort } from './harness';

const rows = Number(process.argv[2] ?? 300_000);
const sizes = process.argv.slice(3).map(Number);

// one worker writes `rows` rows shaped like a Play, under the same key and index as the plays table
const WORKER = `
onmessage = async (e) => {
  const { rows, size, index, name, op } = e.data;
  const db = await new Promise((res, rej) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      const s = r.result.createObjectStore('plays', { keyPath: ['accountId', 'playedAt', 'trackId'] });
      if (index) s.createIndex('[accountId+trackId]', ['accountId', 'trackId']);
    };
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const t0 = performance.now();
  const base = Date.UTC(2014, 0, 1);
  for (let i = 0; i < rows; i += size) {
    await new Promise((res, rej) => {
      const tx = db.transaction('plays', 'readwrite', { durability: 'relaxed' });
      const s = tx.objectStore('plays');
      for (let j = i; j < Math.min(rows, i + size); j++) {
        s[op]({ accountId: 'probe-account-0000000000', playedAt: base + j * 1_000_017, trackId: 'track' + String(j % 9_000).padStart(17, '0'), msPlayed: 180_000, source: 'export' });
      }
      tx.oncomplete = res;
      tx.onerror = () => rej(tx.error);
    });
  }
  postMessage(Math.round(performance.now() - t0));
  db.close();
};`;

// RAW mode: the page runs one configuration from its query and posts the time to /result
const RAW_PAGE = `<!doctype html><title>probe</title><script>
const q = Object.fromEntries(new URLSearchParams(location.search));
const w = new Worker('/w.js');
w.onmessage = (e) => fetch('/result?ms=' + e.data);
w.postMessage({ rows: +q.rows, size: +q.size, index: q.index === '1', name: q.name, op: q.op });
</script>`;
let onResult: ((ms: number) => void) | null = null;

const port = await freePort();
const server = createServer((req, res) => {
  if (req.url?.startsWith('/result')) { onResult?.(Number(new URL(req.url, 'http://x').searchParams.get('ms'))); res.end(); return; }
  if (req.url?.startsWith('/raw')) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(RAW_PAGE); return; }
  if (req.url === '/w.js') { res.writeHead(200, { 'content-type': 'text/javascript' }); res.end(WORKER); return; }
  res.writeHead(200, { 'content-type': 'text/html' }); res.end('<!doctype html><title>probe</title>');
});
await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
const dir = await mkdtemp(join(tmpdir(), 'mtm-idb-probe-'));
if (process.env['RAW'] === '1') {
  let n = 0;
  try {
    for (const size of sizes.length ? sizes : [5_000, 20_000]) {
      for (const [index, op] of [[true, 'put'], [false, 'put']] as const) {
        const url = `http://127.0.0.1:${port}/raw?rows=${rows}&size=${size}&index=${index ? 1 : 0}&op=${op}&name=probe-${n++}`;
        const done = new Promise<number>((r) => { onResult = r; });
        const browser = spawn(chromiumPath(), [...CHROMIUM_FLAGS, `--user-data-dir=${dir}`, url], { stdio: 'ignore' });
        const timer = setTimeout(() => browser.kill('SIGKILL'), 300_000);
        const ms = await done;
        clearTimeout(timer);
        const exited = new Promise<void>((r) => browser.once('exit', () => r()));
        browser.kill('SIGTERM');
        await exited;
        console.log(`raw Chromium: ${rows} rows, ${size} per transaction, ${op}(), ${index ? 'with' : 'without'} the [accountId+trackId] index: ${ms} ms (${Math.round(rows / ms * 1000)} rows/s)`);
      }
    }
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`load average (1 min): ${(await readFile('/proc/loadavg', 'utf8')).split(' ')[0]}`);
  process.exit(0);
}
const context = await chromium.launchPersistentContext(dir, { executablePath: chromiumPath(), args: CHROMIUM_FLAGS, headless: true });
try {
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${port}/`);
  let n = 0;
  for (const size of sizes.length ? sizes : [5_000, 20_000]) {
    for (const [index, op] of [[true, 'put'], [true, 'add'], [false, 'put']] as const) {
      const ms = await page.evaluate(({ rows, size, index, name, op }) => new Promise<number>((res) => {
        const w = new Worker('/w.js');
        w.onmessage = (e) => { w.terminate(); res(e.data as number); };
        w.postMessage({ rows, size, index, name, op });
      }), { rows, size, index, op, name: `probe-${n++}` });
      console.log(`${rows} rows, ${size} per transaction, ${op}(), ${index ? 'with' : 'without'} the [accountId+trackId] index: ${ms} ms (${Math.round(rows / ms * 1000)} rows/s)`);
    }
  }
} finally {
  await context.close();
  server.close();
  await rm(dir, { recursive: true, force: true });
}
console.log(`load average (1 min): ${(await readFile("/proc/loadavg", "utf8")).split(" ")[0]}`);
