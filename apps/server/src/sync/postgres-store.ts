import { createHash } from 'node:crypto';
import pg from 'pg';
import {
  type Existing,
  type ListOptions,
  type NamespaceCounters,
  type NamespaceStatus,
  planPut,
  type RecordIn,
  type RecordPage,
  type SyncStore,
} from './sync-store.js';

/** The same tables as the SQLite store; bigint seqs and sizes come back as strings and are read with Number. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sync_namespaces (
  ns text PRIMARY KEY,
  last_seq bigint NOT NULL,
  bytes bigint NOT NULL,
  records integer NOT NULL,
  updated_at bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS sync_records (
  ns text NOT NULL,
  id text NOT NULL,
  epoch bigint NOT NULL,
  seq bigint NOT NULL,
  size integer NOT NULL,
  stored_at bigint NOT NULL,
  body bytea NOT NULL,
  PRIMARY KEY (ns, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS sync_records_by_seq ON sync_records (ns, seq);
CREATE INDEX IF NOT EXISTS sync_records_by_epoch ON sync_records (ns, epoch);
`;

// Any constant: every instance starting at once takes this lock before creating
// the tables, because concurrent CREATE TABLE IF NOT EXISTS can still collide.
const SCHEMA_LOCK = 0x6d746d73;

export interface PostgresStoreOptions {
  /** postgres://user:password@host:port/database */
  connectionString: string;
  /** connections per instance */
  poolSize?: number;
  now?: () => number;
  /** told about a connection the pool lost while idle (it reconnects by itself) */
  onIdleError?: (err: Error) => void;
}

/** The URL without its password, for messages. */
export function describeDatabaseUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return '(an unparseable URL)';
  }
}

function sha256(b: Buffer): Buffer {
  return createHash('sha256').update(b).digest();
}

/**
 * For several server instances behind a load balancer. Every change to a
 * namespace runs in one transaction that first locks the namespace's row
 * (SELECT ... FOR UPDATE), so two instances putting into one account at once
 * take turns: seqs are handed out without gaps or repeats, in commit order
 * (a reader never sees seq n+1 committed before seq n), and the quota is
 * checked against what is really stored. Different accounts never wait for
 * each other.
 */
export async function openPostgresStore(opts: PostgresStoreOptions): Promise<SyncStore> {
  const now = opts.now ?? Date.now;
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
  });
  // without a listener, an idle connection dropped by the server would crash the process
  pool.on('error', (err) => opts.onIdleError?.(err));

  async function transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await pool.connect();
    let broken = false;
    try {
      await c.query('BEGIN');
      const result = await fn(c);
      await c.query('COMMIT');
      return result;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      c.release(broken);
    }
  }

  /** Locks the namespace's row for the rest of the transaction; null when it has none. */
  async function lockNamespace(c: pg.PoolClient, ns: string): Promise<NamespaceCounters | null> {
    const r = await c.query<{ last_seq: string; bytes: string; records: number }>(
      'SELECT last_seq, bytes, records FROM sync_namespaces WHERE ns = $1 FOR UPDATE',
      [ns],
    );
    const row = r.rows[0];
    return row
      ? { lastSeq: Number(row.last_seq), bytes: Number(row.bytes), records: row.records }
      : null;
  }

  async function setCounters(c: pg.PoolClient, ns: string, n: NamespaceCounters): Promise<void> {
    await c.query(
      'UPDATE sync_namespaces SET last_seq = $2, bytes = $3, records = $4, updated_at = $5 WHERE ns = $1',
      [ns, n.lastSeq, n.bytes, n.records, now()],
    );
  }

  async function remove(ns: string, epochBelow: number | null): Promise<number> {
    return transaction(async (c) => {
      const before = await lockNamespace(c, ns);
      if (!before) return 0;
      const gone = await c.query<{ size: number }>(
        epochBelow === null
          ? 'DELETE FROM sync_records WHERE ns = $1 RETURNING size'
          : 'DELETE FROM sync_records WHERE ns = $1 AND epoch < $2 RETURNING size',
        epochBelow === null ? [ns] : [ns, epochBelow],
      );
      const freed = gone.rows.reduce((n, r) => n + r.size, 0);
      await setCounters(c, ns, {
        lastSeq: before.lastSeq,
        bytes: before.bytes - freed,
        records: before.records - gone.rows.length,
      });
      return gone.rows.length;
    });
  }

  try {
    await transaction(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
      await c.query(SCHEMA);
    });
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `sync storage: PostgreSQL at ${describeDatabaseUrl(opts.connectionString)} (SYNC_DATABASE_URL): ${(err as Error).message}`,
      { cause: err },
    );
  }

  let closed = false;
  return {
    kind: 'postgres',
    async put(ns, records, quotaBytes) {
      return transaction(async (c) => {
        const t = now();
        // the first PUT of an account creates its row; a concurrent one waits on it, then finds it
        await c.query(
          'INSERT INTO sync_namespaces (ns, last_seq, bytes, records, updated_at) VALUES ($1, 0, 0, 0, $2) ON CONFLICT (ns) DO NOTHING',
          [ns, t],
        );
        const before = (await lockNamespace(c, ns)) as NamespaceCounters;
        // digests, not bodies: comparing 4 MB of stored bodies would send them all over the wire
        const found = await c.query<{ id: string; epoch: string; size: number; digest: Buffer }>(
          'SELECT id, epoch, size, sha256(body) AS digest FROM sync_records WHERE ns = $1 AND id = ANY($2::text[])',
          [ns, records.map((r) => r.id)],
        );
        const byId = new Map(records.map((r) => [r.id, r]));
        const existing = new Map<string, Existing>();
        for (const row of found.rows) {
          const incoming = byId.get(row.id) as RecordIn;
          existing.set(row.id, {
            epoch: Number(row.epoch),
            size: row.size,
            sameBody: row.size === incoming.body.length && row.digest.equals(sha256(incoming.body)),
          });
        }
        const plan = planPut(records, existing, before, quotaBytes);
        if (plan.writes.length > 0) {
          const params: unknown[] = [ns, t];
          const rows = plan.writes.map(({ record, seq }) => {
            const at = params.length;
            params.push(record.id, record.epoch, seq, record.body.length, record.body);
            return `($1, $${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $2, $${at + 5})`;
          });
          await c.query(
            `INSERT INTO sync_records (ns, id, epoch, seq, size, stored_at, body) VALUES ${rows.join(', ')}
             ON CONFLICT (ns, id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq,
               size = excluded.size, stored_at = excluded.stored_at, body = excluded.body`,
            params,
          );
        }
        await setCounters(c, ns, plan.after);
        return { cursor: plan.after.lastSeq };
      });
    },

    async list(ns, { after, limit, maxBytes }: ListOptions): Promise<RecordPage> {
      // One statement, so one snapshot. The running sum stops the page at the byte
      // budget (the first record always comes); the row past the page is read
      // without its body, only to tell whether more follow.
      const r = await pool.query<{ seq: string; id: string; epoch: string; body: Buffer | null }>(
        `SELECT p.seq, r.id, r.epoch,
                CASE WHEN p.n <= $3 AND (p.n = 1 OR p.upto <= $4) THEN r.body END AS body
           FROM (SELECT seq, row_number() OVER w AS n, sum(size) OVER w AS upto
                   FROM sync_records WHERE ns = $1 AND seq > $2
                 WINDOW w AS (ORDER BY seq) ORDER BY seq LIMIT $3 + 1) p
           JOIN sync_records r ON r.ns = $1 AND r.seq = p.seq
          ORDER BY p.seq`,
        [ns, after, limit, maxBytes],
      );
      const records = [];
      for (const row of r.rows) {
        if (row.body === null) break;
        records.push({
          seq: Number(row.seq),
          id: row.id,
          epoch: Number(row.epoch),
          body: row.body,
        });
      }
      return {
        records,
        cursor: records.at(-1)?.seq ?? after,
        more: records.length < r.rows.length,
      };
    },

    async status(ns): Promise<NamespaceStatus> {
      const r = await pool.query<{
        last_seq: string | null;
        bytes: string | null;
        records: number | null;
        epoch: string | null;
      }>(
        `SELECT n.last_seq, n.bytes, n.records,
                (SELECT max(epoch) FROM sync_records WHERE ns = $1) AS epoch
           FROM (SELECT 1) one LEFT JOIN sync_namespaces n ON n.ns = $1`,
        [ns],
      );
      const row = r.rows[0];
      return {
        records: row?.records ?? 0,
        bytes: Number(row?.bytes ?? 0),
        cursor: Number(row?.last_seq ?? 0),
        epoch: row?.epoch == null ? null : Number(row.epoch),
      };
    },

    deleteBelowEpoch: (ns, epoch) => remove(ns, epoch),
    deleteAll: (ns) => remove(ns, null),

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
