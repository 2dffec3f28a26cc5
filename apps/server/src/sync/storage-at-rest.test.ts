import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { openSession, SESSION_COOKIE } from '../session.js';
import { testConfig } from '../test-support/config.js';
import { startTestEmulator, type TestEmulator, walkLogin } from '../test-support/flow.js';
import { POSTGRES_TIMEOUT_MS, startPostgres, type TestPostgres } from '../test-support/postgres.js';
import { b64, syncCall, tempDataDir } from '../test-support/sync.js';
import type { SyncSettings } from './open-store.js';
import { MIB } from './protocol.js';
import { SQLITE_FILE } from './sqlite-store.js';

/**
 * After a journey through the relay (login, puts, a replacement, a rotation
 * that drops an old epoch, reads), the storage itself is read: it holds the
 * records exactly as sent and nothing beyond namespace, id, epoch, seq,
 * body, size and time. No cookie, token, address or user agent of the
 * requests reaches it. (The client's half adds: no track id in plain text.)
 */

const RECORD_COLUMNS = ['ns', 'id', 'epoch', 'seq', 'size', 'stored_at', 'body'];
const NAMESPACE_COLUMNS = ['ns', 'last_seq', 'bytes', 'records', 'updated_at'];

interface Row {
  ns: string;
  id: string;
  epoch: number;
  seq: number;
  size: number;
  stored_at: number;
  body: Buffer;
}

interface Journey {
  accountId: string;
  /** what should be stored, by id */
  expected: Map<string, { seq: number; epoch: number; body: Buffer }>;
  /** what the requests carried that must never be stored */
  foreign: string[];
  /** bodies replaced or dropped during the journey */
  gone: Buffer[];
  startedAt: number;
  endedAt: number;
}

async function journey(app: FastifyInstance, emu: TestEmulator, key: Buffer): Promise<Journey> {
  const startedAt = Date.now();
  const login = await walkLogin(app, emu);
  const session = openSession(key, login.session as string);
  const accountId = session?.accountId as string;
  const agent = `mtm-test-agent-${randomBytes(6).toString('hex')}`;
  const cookie = `${SESSION_COOKIE}=${login.session}`;
  const headers = { 'user-agent': agent, 'x-forwarded-for': '203.0.113.77' };
  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, body?: unknown) =>
    syncCall(app, method, url, { cookie, headers, ...(body ? { body } : {}) });

  const bodies = {
    month: randomBytes(700),
    settings: Buffer.from(`opaque-${randomBytes(16).toString('hex')}`),
    old: randomBytes(90),
    big: randomBytes(MIB),
  };
  const put1 = await call('PUT', '/sync/records', {
    records: [
      { id: 'm-2024-03', epoch: 1, body: b64(bodies.month) },
      { id: 'settings', epoch: 1, body: b64(Buffer.from('first settings')) },
      { id: 'gone-with-epoch-0', epoch: 0, body: b64(bodies.old) },
    ],
  });
  expect(put1.json()).toEqual({ cursor: 3 });
  expect(
    (
      await call('PUT', '/sync/records', {
        records: [{ id: 'big', epoch: 1, body: b64(bodies.big) }],
      })
    ).json(),
  ).toEqual({ cursor: 4 });
  // settings replaced: the last writer's record, under a new seq
  expect(
    (
      await call('PUT', '/sync/records', {
        records: [{ id: 'settings', epoch: 1, body: b64(bodies.settings) }],
      })
    ).json(),
  ).toEqual({ cursor: 5 });
  expect((await call('DELETE', '/sync/records?epochBelow=1')).json()).toEqual({ deleted: 1 });
  const read = await call('GET', '/sync/records?after=0&limit=10');
  expect(read.json().records.map((r: { id: string }) => r.id)).toEqual([
    'm-2024-03',
    'big',
    'settings',
  ]);
  return {
    accountId,
    expected: new Map([
      ['m-2024-03', { seq: 1, epoch: 1, body: bodies.month }],
      ['big', { seq: 4, epoch: 1, body: bodies.big }],
      ['settings', { seq: 5, epoch: 1, body: bodies.settings }],
    ]),
    foreign: [
      login.session as string,
      session?.accessToken as string,
      session?.refreshToken as string,
      agent,
      '203.0.113.77',
      '127.0.0.1',
      'first settings',
    ],
    gone: [Buffer.from('first settings'), bodies.old],
    startedAt,
    endedAt: Date.now(),
  };
}

function expectRowsAsSent(rows: Row[], j: Journey): void {
  expect(rows.map((r) => r.id).sort()).toEqual([...j.expected.keys()].sort());
  for (const row of rows) {
    const want = j.expected.get(row.id);
    expect(row.ns).toBe(j.accountId);
    expect(row.seq).toBe(want?.seq);
    expect(row.epoch).toBe(want?.epoch);
    expect(row.size).toBe(want?.body.length);
    expect(row.body.equals(want?.body as Buffer), row.id).toBe(true);
    expect(row.stored_at).toBeGreaterThanOrEqual(j.startedAt);
    expect(row.stored_at).toBeLessThanOrEqual(j.endedAt);
  }
}

async function appWith(emu: TestEmulator, key: Buffer, sync: SyncSettings) {
  return buildApp(
    testConfig({
      ...emu.client,
      sessionKeys: [key],
      accountsUrl: `${emu.base}/accounts`,
      apiUrl: `${emu.base}/v1`,
      sync,
    }),
    { logger: false },
  );
}

let emu: TestEmulator;
beforeAll(async () => {
  emu = await startTestEmulator();
});
afterAll(async () => {
  await emu.emulator.close();
});

describe('what the SQLite file holds after a journey', () => {
  const data = tempDataDir();
  afterAll(() => data.cleanup());

  it('the records as sent, in two tables of exactly the expected columns, and nothing from the requests', async () => {
    const key = randomBytes(32);
    const app = await appWith(emu, key, {
      dataDir: data.dir,
      databaseUrl: null,
      quotaBytes: 8 * MIB,
    });
    const j = await journey(app, emu, key);
    // closing checkpoints the WAL into the main file
    await app.close();
    const file = join(data.dir, SQLITE_FILE);
    expect(existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`).length : 0).toBe(0);
    const bytes = readFileSync(file);
    // bodies under a page (4 KiB) sit in the file in one piece, exactly as sent
    for (const id of ['m-2024-03', 'settings'])
      expect(bytes.includes(j.expected.get(id)?.body as Buffer), id).toBe(true);
    for (const s of j.foreign) expect(bytes.includes(Buffer.from(s)), s.slice(0, 24)).toBe(false);
    // replaced and dropped records leave no bytes behind in free pages (secure_delete)
    for (const b of j.gone) expect(bytes.includes(b)).toBe(false);

    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
        )
        .all()
        .map((t) => t.name);
      expect(tables).toEqual(['sync_namespaces', 'sync_records']);
      const columns = (t: string) =>
        db
          .prepare<[], { name: string }>(`PRAGMA table_info(${t})`)
          .all()
          .map((c) => c.name);
      expect(columns('sync_records')).toEqual(RECORD_COLUMNS);
      expect(columns('sync_namespaces')).toEqual(NAMESPACE_COLUMNS);
      expectRowsAsSent(db.prepare<[], Row>('SELECT * FROM sync_records ORDER BY seq').all(), j);
      const ns = db.prepare('SELECT * FROM sync_namespaces').all();
      expect(ns).toEqual([
        {
          ns: j.accountId,
          last_seq: 5,
          bytes: 700 + MIB + (j.expected.get('settings')?.body.length ?? 0),
          records: 3,
          updated_at: expect.any(Number),
        },
      ]);
    } finally {
      db.close();
    }
  });
});

describe('the SQLite file after "delete the server copy"', () => {
  const data = tempDataDir();
  afterAll(() => data.cleanup());

  it('holds none of the deleted bodies', async () => {
    const key = randomBytes(32);
    const app = await appWith(emu, key, {
      dataDir: data.dir,
      databaseUrl: null,
      quotaBytes: 8 * MIB,
    });
    const j = await journey(app, emu, key);
    const login = await walkLogin(app, emu);
    const res = await syncCall(app, 'DELETE', '/sync', {
      cookie: `${SESSION_COOKIE}=${login.session}`,
    });
    expect(res.json()).toEqual({ deleted: 3 });
    await app.close();
    const bytes = readFileSync(join(data.dir, SQLITE_FILE));
    for (const [id, r] of j.expected)
      expect(bytes.includes(r.body.subarray(0, 64)), id).toBe(false);
  });
});

describe(
  'what the PostgreSQL tables hold after a journey',
  { timeout: POSTGRES_TIMEOUT_MS },
  () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startPostgres();
    }, POSTGRES_TIMEOUT_MS);
    afterAll(async () => server?.stop(), POSTGRES_TIMEOUT_MS);

    it('SELECT * gives the records as sent, and the schema has nothing else', async () => {
      const url = await server.createDatabase();
      const key = randomBytes(32);
      const app = await appWith(emu, key, {
        dataDir: '/nonexistent-unused',
        databaseUrl: url,
        quotaBytes: 8 * MIB,
      });
      const j = await journey(app, emu, key);
      await app.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const cols = await c.query<{ table_name: string; column_name: string }>(
          "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
        );
        const byTable = new Map<string, string[]>();
        for (const r of cols.rows)
          byTable.set(r.table_name, [...(byTable.get(r.table_name) ?? []), r.column_name]);
        expect(Object.fromEntries(byTable)).toEqual({
          sync_namespaces: NAMESPACE_COLUMNS,
          sync_records: RECORD_COLUMNS,
        });
        const rows = (await c.query('SELECT * FROM sync_records ORDER BY seq')).rows.map((r) => ({
          ...r,
          epoch: Number(r.epoch),
          seq: Number(r.seq),
          stored_at: Number(r.stored_at),
        })) as Row[];
        expectRowsAsSent(rows, j);
        const ns = (await c.query('SELECT * FROM sync_namespaces')).rows;
        expect(ns.map((r) => [r.ns, Number(r.last_seq), Number(r.bytes), r.records])).toEqual([
          [j.accountId, 5, 700 + MIB + (j.expected.get('settings')?.body.length ?? 0), 3],
        ]);
        // no value in any column of any table carries what the requests brought along
        const everything = JSON.stringify([
          rows.map((r) => ({ ...r, body: r.body.toString('latin1') })),
          ns,
        ]);
        for (const s of j.foreign) expect(everything.includes(s), s.slice(0, 24)).toBe(false);
      } finally {
        await c.end();
      }
    });
  },
);
