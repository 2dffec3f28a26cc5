import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import {
  type Existing,
  type ListOptions,
  type NamespaceCounters,
  type NamespaceStatus,
  planPut,
  type RecordIn,
  type RecordPage,
  type StoredRecord,
  type SyncStore,
} from './sync-store.js';

export const SQLITE_FILE = 'sync.sqlite';

/**
 * Body last in the row: SQLite keeps a large blob in overflow pages after the
 * row's other columns, so listing seqs and sizes never walks through bodies.
 * STRICT tables refuse a value of the wrong type instead of storing it.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_namespaces (
  ns TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  records INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS sync_records (
  ns TEXT NOT NULL,
  id TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  size INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (ns, id)
) STRICT;
CREATE UNIQUE INDEX IF NOT EXISTS sync_records_by_seq ON sync_records (ns, seq);
CREATE INDEX IF NOT EXISTS sync_records_by_epoch ON sync_records (ns, epoch);
`;

export interface SqliteStoreOptions {
  /** created when missing (with a .gitignore, so a data folder inside a checkout is never committed) */
  dataDir: string;
  now?: () => number;
}

function ensureDataDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, '.gitignore'), '# the sync relay data of this server\n*\n');
}

/**
 * The embedded default: one file, no setup, one server instance. better-sqlite3
 * is synchronous, so each call runs to completion on the event loop; a PUT of
 * 4 MB is a few milliseconds of that. Writes are BEGIN IMMEDIATE transactions,
 * so even a second process on the same file could not interleave a PUT.
 */
export function openSqliteStore(opts: SqliteStoreOptions): SyncStore {
  ensureDataDir(opts.dataDir);
  const now = opts.now ?? Date.now;
  const db = new Database(join(opts.dataDir, SQLITE_FILE));
  db.pragma('journal_mode = WAL');
  // FULL, not NORMAL: a device moves on once it has our 200, so a commit the
  // server acknowledged must survive a power cut; NORMAL could lose the last ones.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // "Delete the server copy" should delete it: without this, SQLite leaves the bytes of
  // deleted and replaced records in free pages of the file until something overwrites them.
  db.pragma('secure_delete = ON');
  db.exec(SCHEMA);

  const q = {
    ensureNs: db.prepare(
      'INSERT OR IGNORE INTO sync_namespaces (ns, last_seq, bytes, records, updated_at) VALUES (?, 0, 0, 0, ?)',
    ),
    counters: db.prepare<[string], { lastSeq: number; bytes: number; records: number }>(
      'SELECT last_seq AS lastSeq, bytes, records FROM sync_namespaces WHERE ns = ?',
    ),
    setCounters: db.prepare(
      'UPDATE sync_namespaces SET last_seq = ?, bytes = ?, records = ?, updated_at = ? WHERE ns = ?',
    ),
    existing: db.prepare<[string, string], { epoch: number; size: number; body: Buffer }>(
      'SELECT epoch, size, body FROM sync_records WHERE ns = ? AND id = ?',
    ),
    upsert: db.prepare(
      `INSERT INTO sync_records (ns, id, epoch, seq, size, stored_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (ns, id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq,
         size = excluded.size, stored_at = excluded.stored_at, body = excluded.body`,
    ),
    page: db.prepare<[string, number, number], StoredRecord>(
      'SELECT seq, id, epoch, body FROM sync_records WHERE ns = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    maxEpoch: db.prepare<[string], { epoch: number | null }>(
      'SELECT max(epoch) AS epoch FROM sync_records WHERE ns = ?',
    ),
    deleteBelow: db.prepare<[string, number], { size: number }>(
      'DELETE FROM sync_records WHERE ns = ? AND epoch < ? RETURNING size',
    ),
    deleteAll: db.prepare<[string], { size: number }>(
      'DELETE FROM sync_records WHERE ns = ? RETURNING size',
    ),
  };

  const put = db.transaction((ns: string, records: readonly RecordIn[], quotaBytes: number) => {
    const t = now();
    q.ensureNs.run(ns, t);
    const before = q.counters.get(ns) as NamespaceCounters;
    const existing = new Map<string, Existing>();
    for (const r of records) {
      const row = q.existing.get(ns, r.id);
      if (row)
        existing.set(r.id, { epoch: row.epoch, size: row.size, sameBody: row.body.equals(r.body) });
    }
    // throws (and so rolls back the namespace row too) when the quota refuses
    const plan = planPut(records, existing, before, quotaBytes);
    for (const { record, seq } of plan.writes)
      q.upsert.run(ns, record.id, record.epoch, seq, record.body.length, t, record.body);
    const a = plan.after;
    q.setCounters.run(a.lastSeq, a.bytes, a.records, t, ns);
    return { cursor: a.lastSeq };
  });

  const remove = db.transaction((ns: string, epochBelow: number | null) => {
    const before = q.counters.get(ns);
    if (!before) return 0;
    const gone = epochBelow === null ? q.deleteAll.all(ns) : q.deleteBelow.all(ns, epochBelow);
    const freed = gone.reduce((n, r) => n + r.size, 0);
    q.setCounters.run(
      before.lastSeq,
      before.bytes - freed,
      before.records - gone.length,
      now(),
      ns,
    );
    return gone.length;
  });

  return {
    kind: 'sqlite',
    async put(ns, records, quotaBytes) {
      return put.immediate(ns, records, quotaBytes);
    },
    async list(ns, { after, limit, maxBytes }: ListOptions): Promise<RecordPage> {
      const records: StoredRecord[] = [];
      let bytes = 0;
      let more = false;
      // iterate() steps row by row, so bodies past the page's byte budget are never read
      for (const row of q.page.iterate(ns, after, limit + 1)) {
        if (
          records.length === limit ||
          (records.length > 0 && bytes + row.body.length > maxBytes)
        ) {
          more = true;
          break;
        }
        records.push(row);
        bytes += row.body.length;
      }
      return { records, cursor: records.at(-1)?.seq ?? after, more };
    },
    async status(ns): Promise<NamespaceStatus> {
      const c = q.counters.get(ns);
      return {
        records: c?.records ?? 0,
        bytes: c?.bytes ?? 0,
        cursor: c?.lastSeq ?? 0,
        epoch: q.maxEpoch.get(ns)?.epoch ?? null,
      };
    },
    async deleteBelowEpoch(ns, epoch) {
      return remove.immediate(ns, epoch);
    },
    async deleteAll(ns) {
      return remove.immediate(ns, null);
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
