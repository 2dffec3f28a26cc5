// A database as schema version 2 left it (plays one row each), rebuilt in the
// browser from the connected v3 one, for e2e/upgrade.e2e.ts and bench/upgrade.ts. The page
// code runs on /healthz: same origin, no app code holding the database open.
import type { Page } from 'playwright-core';
import type { Play } from '@mtm/core';
import { V2_LAYOUT } from '../src/lib/db/shipped-layouts';

const DB = 'music-time-machine';
// IDBRequest -> Promise in the page, defined from a string: tsx would wrap a
// named function written here in a helper the page does not have
const REQ =
  'window.__req = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); })';

interface DayRow {
  accountId: string;
  day: number;
  playedAt: number[];
  trackId: string[];
  msPlayed: number[];
  source: string[];
}

/**
 * Turns the app's v3 database into what version 2 would hold: the same rows,
 * plays one row each, plus `extra` plays (20,000 per transaction) for the
 * current account. Returns that account and every play row now stored.
 */
export async function rebuildAsV2(
  page: Page,
  baseUrl: string,
  extra: Omit<Play, 'accountId'>[],
): Promise<{ accountId: string; plays: Play[] }> {
  await page.goto(`${baseUrl}/healthz`);
  await page.evaluate(REQ);
  const accountId = await page.evaluate(
    async ({ layout, name }) => {
      const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
      const v3 = await req(indexedDB.open(name));
      const rows: Record<string, unknown[]> = {};
      for (const store of Object.keys(layout).filter((s) => s !== 'plays'))
        rows[store] = await req(v3.transaction(store).objectStore(store).getAll());
      const days = (await req(
        v3.transaction('playDays').objectStore('playDays').getAll(),
      )) as DayRow[];
      rows['plays'] = days.flatMap((d) =>
        d.playedAt.map((at, i) => ({
          accountId: d.accountId,
          playedAt: at,
          trackId: d.trackId[i],
          msPlayed: d.msPlayed[i],
          source: d.source[i],
        })),
      );
      v3.close();
      await req(indexedDB.deleteDatabase(name));
      const open = indexedDB.open(name, 20);
      open.onupgradeneeded = () => {
        for (const [store, l] of Object.entries(layout)) {
          const os = open.result.createObjectStore(store, { keyPath: l.keyPath });
          for (const [index, keyPath] of l.indexes) os.createIndex(index, keyPath);
        }
      };
      const v2 = await req(open);
      const tx = v2.transaction(Object.keys(rows), 'readwrite');
      for (const [store, list] of Object.entries(rows))
        for (const row of list) tx.objectStore(store).put(row);
      await new Promise((ok) => {
        tx.oncomplete = ok;
      });
      v2.close();
      return (rows['meta'] as { key: string; value: unknown }[]).find(
        (m) => m.key === 'device:currentAccount',
      )?.value as string;
    },
    { layout: V2_LAYOUT, name: DB },
  );
  for (let i = 0; i < extra.length; i += 20_000) {
    await page.evaluate(
      async ({ accountId, chunk, name }) => {
        const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
        const v2 = await req(indexedDB.open(name, 20));
        const tx = v2.transaction('plays', 'readwrite', { durability: 'relaxed' });
        for (const p of chunk) tx.objectStore('plays').put({ accountId, ...p });
        await new Promise((ok) => {
          tx.oncomplete = ok;
        });
        v2.close();
      },
      { accountId, chunk: extra.slice(i, i + 20_000), name: DB },
    );
  }
  const plays = await page.evaluate(async (name) => {
    const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
    const v2 = await req(indexedDB.open(name, 20));
    const all = await req(v2.transaction('plays').objectStore('plays').getAll());
    v2.close();
    return all as Play[];
  }, DB);
  return { accountId, plays };
}

/** What the database holds now: its IndexedDB version, stores, and every play of the day rows, in stored order. */
export async function readPlayDays(
  page: Page,
): Promise<{ version: number; stores: string[]; dayRows: number; plays: Play[] }> {
  await page.evaluate(REQ);
  return page.evaluate(async (name) => {
    const req = (window as unknown as { __req: <T>(r: IDBRequest<T>) => Promise<T> }).__req;
    const db = await req(indexedDB.open(name));
    const days = (await req(
      db.transaction('playDays').objectStore('playDays').getAll(),
    )) as DayRow[];
    const out = {
      version: db.version,
      stores: [...db.objectStoreNames],
      dayRows: days.length,
      plays: days.flatMap((d) =>
        d.playedAt.map((at, i) => ({
          accountId: d.accountId,
          playedAt: at,
          trackId: d.trackId[i]!,
          msPlayed: d.msPlayed[i]!,
          source: d.source[i] as Play['source'],
        })),
      ),
    };
    db.close();
    return out;
  }, DB);
}
