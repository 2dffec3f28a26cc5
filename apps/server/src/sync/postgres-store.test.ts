import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_TIMEOUT_MS, startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { freshNamespace, rec, syncStoreContract } from '../test-support/sync-store-contract.js';
import { describeDatabaseUrl, openPostgresStore } from './postgres-store.js';
import { SyncError } from './sync-error.js';
import type { SyncStore } from './sync-store.js';

let server: TestPostgres;
let store: SyncStore;
beforeAll(async () => {
  server = await startPostgres();
  store = await openPostgresStore({ connectionString: await server.createDatabase() });
}, POSTGRES_TIMEOUT_MS);
afterAll(async () => {
  await store?.close();
  await server?.stop();
}, POSTGRES_TIMEOUT_MS);

syncStoreContract('PostgreSQL', () => store);

describe(
  'PostgreSQL store: several server instances on one database',
  { timeout: POSTGRES_TIMEOUT_MS },
  () => {
    it('creates the schema once when instances start together, and again idempotently', async () => {
      const url = await server.createDatabase();
      const stores = await Promise.all(
        [1, 2, 3].map(() => openPostgresStore({ connectionString: url })),
      );
      const again = await openPostgresStore({ connectionString: url });
      try {
        await (stores[0] as SyncStore).put('acct', [rec('a', 'x')], 10);
        expect((await again.status('acct')).cursor).toBe(1);
      } finally {
        await Promise.all([...stores, again].map((s) => s.close()));
      }
    });

    it('racing PUTs from two instances into one account: seqs without gaps or repeats, the quota exact', async () => {
      const url = await server.createDatabase();
      const [a, b] = await Promise.all([
        openPostgresStore({ connectionString: url, poolSize: 8 }),
        openPostgresStore({ connectionString: url, poolSize: 8 }),
      ]);
      try {
        const ns = freshNamespace();
        // 40 single-record PUTs of 1,000 bytes each against a quota of 25,000: exactly 25 fit
        const results = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? a : b).put(ns, [rec(`r${i}`, Buffer.alloc(1000, i))], 25_000),
          ),
        );
        const ok = results.filter((r) => r.status === 'fulfilled');
        const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
        expect(ok.length).toBe(25);
        expect(refused.length).toBe(15);
        for (const e of refused) expect((e as SyncError).code).toBe('SYNC_QUOTA_FULL');
        const cursors = ok.map(
          (r) => (r as PromiseFulfilledResult<{ cursor: number }>).value.cursor,
        );
        expect([...cursors].sort((x, y) => x - y)).toEqual(
          Array.from({ length: 25 }, (_, i) => i + 1),
        );
        const page = await b.list(ns, { after: 0, limit: 1000, maxBytes: 1 << 30 });
        expect(page.records.map((r) => r.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
        expect(await a.status(ns)).toMatchObject({ records: 25, bytes: 25_000, cursor: 25 });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    });

    it('a device following the cursor while two instances write sees every record exactly once', async () => {
      const url = await server.createDatabase();
      const open = () => openPostgresStore({ connectionString: url, poolSize: 4 });
      const [a, b, reader] = await Promise.all([open(), open(), open()]);
      try {
        const ns = freshNamespace();
        const ids = Array.from({ length: 60 }, (_, i) => `r${i}`);
        const writes = Promise.allSettled(
          ids.map((id, i) => (i % 2 ? a : b).put(ns, [rec(id, Buffer.alloc(200 + i, i))], 1 << 30)),
        );
        const seen: string[] = [];
        let cursor = 0;
        let done = false;
        void writes.then(() => (done = true));
        // follow the cursor until the writers are done and a last read finds nothing new
        for (;;) {
          const finished = done;
          const page = await reader.list(ns, { after: cursor, limit: 7, maxBytes: 1 << 30 });
          seen.push(...page.records.map((r) => r.id));
          cursor = page.cursor;
          if (finished && !page.more && page.records.length === 0) break;
        }
        expect((await writes).filter((w) => w.status === 'rejected')).toEqual([]);
        expect([...seen].sort()).toEqual([...ids].sort());
        expect(new Set(seen).size).toBe(seen.length);
      } finally {
        await Promise.all([a.close(), b.close(), reader.close()]);
      }
    });

    it('says which database it could not reach, without the password', async () => {
      const url = server
        .url('postgres')
        .replace('mtm@', 'mtm:hunter2-secret@')
        .replace(/:\d+\//, ':9/');
      const err = await openPostgresStore({ connectionString: url }).then(
        () => null,
        (e: Error) => e,
      );
      expect(err?.message).toMatch(
        /^sync storage: PostgreSQL at postgres:\/\/mtm:\*\*\*@127\.0\.0\.1:9\/postgres \(SYNC_DATABASE_URL\): /,
      );
      expect(err?.message).not.toContain('hunter2');
      expect(describeDatabaseUrl('postgres://u:p@h/db')).toBe('postgres://u:***@h/db');
    });
  },
);
