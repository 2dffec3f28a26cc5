import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Debian's PostgreSQL 15 (`apt-get install -y postgresql`); MTM_PG_BIN points elsewhere. */
export const PG_BIN = process.env.MTM_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A test that starts a server process needs a budget for a loaded 2-core
 * machine: initdb and the first start take 3-10 s there, and vitest's 5 s
 * default would fail a correct test.
 */
export const POSTGRES_TIMEOUT_MS = 60_000;

export interface TestPostgres {
  /** a connection URL for a database of this server (default: postgres) */
  url(database?: string): string;
  /** a fresh, empty database; its URL */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    run('id', ['-u', 'postgres']),
    run('id', ['-g', 'postgres']),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/**
 * A throwaway PostgreSQL server in a temporary directory, on a free loopback
 * port, trusting local connections as user `mtm`. initdb refuses to run as
 * root, so as root the server runs as the `postgres` user the Debian package
 * creates. Missing binaries fail the test with the way to install them: a
 * PostgreSQL test is never skipped.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const initdb = join(PG_BIN, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL is not installed: ${initdb} is missing. Install it with ` +
        '`apt-get update && apt-get install -y postgresql` (.ci/run does this when it is missing), ' +
        'or point MTM_PG_BIN at the bin directory of another PostgreSQL.',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'mtm-pg-'));
  const asRoot = process.getuid?.() === 0;
  const as = async (cmd: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', cmd, ...args])
      : run(cmd, args, { env: { ...process.env, LC_ALL: 'C' } });
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const pgCtl = join(PG_BIN, 'pg_ctl');
  try {
    await as(initdb, ['-D', data, '-A', 'trust', '-U', 'mtm', '-E', 'UTF8', '--no-sync']);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(err as { stderr?: string }).stderr ?? err}`, { cause: err });
  }

  let port = 0;
  for (let attempt = 1; ; attempt += 1) {
    port = await freePort();
    try {
      // fsync off: these servers hold test data only, and a loaded machine's disk is slow
      await as(pgCtl, [
        '-D',
        data,
        '-o',
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
        '-l',
        join(dir, 'log'),
        '-w',
        '-t',
        '50',
        'start',
      ]);
      break;
    } catch (err) {
      // another process may have taken the port between freePort() and the start
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`pg_ctl start failed: ${(err as { stderr?: string }).stderr ?? err}`, {
          cause: err,
        });
      }
    }
  }

  const url = (database = 'postgres') => `postgres://mtm@127.0.0.1:${port}/${database}`;
  return {
    url,
    async createDatabase() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${name}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    async stop() {
      await as(pgCtl, ['-D', data, '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Everything a database holds in its public tables, for a test that searches
 * storage at rest: the table names, and every column of every row, text as
 * UTF-8 and bytea as its bytes, each value followed by a zero byte.
 */
export async function publicTableBytes(url: string): Promise<{ tables: string[]; bytes: Buffer }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: names } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    const tables = names.map((r) => r.table_name);
    const parts: Buffer[] = [];
    for (const table of tables) {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT * FROM ${client.escapeIdentifier(table)}`,
      );
      for (const row of rows)
        for (const v of Object.values(row))
          parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'), Buffer.from([0]));
    }
    return { tables, bytes: Buffer.concat(parts) };
  } finally {
    await client.end();
  }
}
