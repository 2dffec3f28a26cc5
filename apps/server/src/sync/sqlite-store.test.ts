import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syncStoreContract } from '../test-support/sync-store-contract.js';
import { openSqliteStore, SQLITE_FILE } from './sqlite-store.js';
import type { SyncStore } from './sync-store.js';

const root = mkdtempSync(join(tmpdir(), 'mtm-sqlite-'));
const store: SyncStore = openSqliteStore({ dataDir: join(root, 'data') });
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

syncStoreContract('SQLite', () => store);

describe('SQLite store', () => {
  it('creates its data directory with a .gitignore, and keeps its data across a reopen', async () => {
    const dir = join(root, 'nested', 'data');
    const s = openSqliteStore({ dataDir: dir });
    await s.put('acct', [{ id: 'a', epoch: 1, body: Buffer.from('kept') }], 1000);
    await s.close();
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    const again = openSqliteStore({ dataDir: dir });
    try {
      expect((await again.status('acct')).cursor).toBe(1);
      const page = await again.list('acct', { after: 0, limit: 10, maxBytes: 100 });
      expect(page.records[0]?.body.toString()).toBe('kept');
    } finally {
      await again.close();
    }
    expect(readFileSync(join(dir, SQLITE_FILE)).length).toBeGreaterThan(0);
  });
});
