// Benchmark, not a test: a phone that imported 10 years under schema v2 (one
// row per play) opens the app after the update to v3 (one row per day). How
// long until the diary shows, and what is the longest main-thread task?
// Figures go to docs/PERFORMANCE.md.
//
//   cd apps/web && pnpm build && ../../node_modules/.bin/tsx e2e/bench-upgrade.ts [years]
//
// It connects as usual (a v3 database with the account), then on a page of
// the same origin that runs no app code rebuilds that database as version 2
// would have left it, adds the generated export's plays one row each, and
// opens /diary: Dexie upgrades to v3 before the diary reads anything.
import { readFile } from 'node:fs/promises';
import { generateExport } from '@mtm/spotify-emulator';
import { parseExportFile, type Play } from '@mtm/core';
import { V2_LAYOUT } from '../src/lib/db/shipped-layouts';
import { startHarness } from './harness';

const START = '2024-06-15T12:00:00Z';
const years = Number(process.argv[2] ?? 10);
const to = Date.parse(START) + 3_600_000;
const from = to - years * 365.25 * 86_400_000;

const plays: Omit<Play, 'accountId'>[] = [];
for (const f of generateExport({ from, to })) {
  for (const p of parseExportFile(f.name.split('/').pop()!, f.text, { accountId: '' }).plays) plays.push({ playedAt: p.playedAt, trackId: p.trackId, msPlayed: p.msPlayed, source: p.source });
}
console.log(`generated ${years} years: ${plays.length} plays`);

// IDBRequest -> Promise in the page, defined from a string: tsx would wrap a
// named function written here in a helper the page does not have
const REQ = 'window.__req = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); })';

const h = await startHarness({ emulatorStart: START });
try {
  await h.connect();
  await h.page.goto(`${h.baseUrl}/healthz`);
  await h.page.evaluate(REQ);
  // the v3 database back to version 2: same rows, plays one row each
  const accountId = await h.page.evaluate(async (layout) => {
    const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
    const v3 = await req(indexedDB.open('music-time-machine'));
    const rows: Record<string, unknown[]> = {};
    for (const store of Object.keys(layout).filter((s) => s !== 'plays')) rows[store] = await req(v3.transaction(store).objectStore(store).getAll());
    const days = (await req(v3.transaction('playDays').objectStore('playDays').getAll())) as { accountId: string; playedAt: number[]; trackId: string[]; msPlayed: number[]; source: string[] }[];
    rows['plays'] = days.flatMap((d) => d.playedAt.map((at, i) => ({ accountId: d.accountId, playedAt: at, trackId: d.trackId[i], msPlayed: d.msPlayed[i], source: d.source[i] })));
    v3.close();
    await req(indexedDB.deleteDatabase('music-time-machine'));
    const open = indexedDB.open('music-time-machine', 20);
    open.onupgradeneeded = () => {
      for (const [store, l] of Object.entries(layout)) {
        const os = open.result.createObjectStore(store, { keyPath: l.keyPath });
        for (const [index, keyPath] of l.indexes) os.createIndex(index, keyPath);
      }
    };
    const v2 = await req(open);
    const tx = v2.transaction(Object.keys(rows), 'readwrite');
    for (const [store, list] of Object.entries(rows)) for (const row of list) tx.objectStore(store).put(row);
    await new Promise((ok) => { tx.oncomplete = ok; });
    v2.close();
    return (rows['meta'] as { key: string; value: unknown }[]).find((m) => m.key === 'device:currentAccount')?.value as string;
  }, V2_LAYOUT);
  const t0 = Date.now();
  for (let i = 0; i < plays.length; i += 20_000) {
    await h.page.evaluate(async ({ accountId, chunk }) => {
      const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
      const v2 = await req(indexedDB.open('music-time-machine', 20));
      const tx = v2.transaction('plays', 'readwrite', { durability: 'relaxed' });
      for (const p of chunk) tx.objectStore('plays').put({ accountId, ...p });
      await new Promise((ok) => { tx.oncomplete = ok; });
      v2.close();
    }, { accountId, chunk: plays.slice(i, i + 20_000) });
  }
  const v2Rows = await h.page.evaluate(async () => {
    const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
    const v2 = await req(indexedDB.open('music-time-machine', 20));
    const n = await req(v2.transaction('plays').objectStore('plays').count());
    v2.close();
    return n;
  });
  console.log(`version-2 database written: ${v2Rows} play rows (${plays.length} generated) in ${Date.now() - t0} ms`);

  await h.page.addInitScript(() => {
    const w = window as unknown as { __longest: number; __over50: number };
    w.__longest = 0;
    w.__over50 = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        w.__longest = Math.max(w.__longest, e.duration);
        w.__over50 += 1;
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  const started = Date.now();
  await h.page.goto(`${h.baseUrl}/diary`);
  await h.page.waitForFunction((n) => document.querySelectorAll('a.month').length >= n, years * 12, { timeout: 600_000 });
  const ms = Date.now() - started;
  await h.page.evaluate(REQ);
  const after = await h.page.evaluate(async () => {
    const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
    const db = await req(indexedDB.open('music-time-machine'));
    const days = (await req(db.transaction('playDays').objectStore('playDays').getAll())) as { playedAt: number[] }[];
    const out = { version: db.version, stores: [...db.objectStoreNames], dayRows: days.length, plays: days.reduce((n, d) => n + d.playedAt.length, 0) };
    db.close();
    const w = window as unknown as { __longest: number; __over50: number };
    return { ...out, longest: Math.round(w.__longest), over50: w.__over50 };
  });
  console.log(JSON.stringify({
    years,
    v2PlayRows: v2Rows,
    openToDiaryMs: ms,
    months: await h.page.locator('a.month').count(),
    idbVersionAfter: after.version,
    playsStoreGone: !after.stores.includes('plays'),
    dayRows: after.dayRows,
    playsAfter: after.plays,
    longestMainThreadTaskMs: after.longest,
    longTasksOver50ms: after.over50,
    loadAverage1m: (await readFile('/proc/loadavg', 'utf8')).split(' ')[0],
  }, null, 2));
} finally {
  await h.close();
}
