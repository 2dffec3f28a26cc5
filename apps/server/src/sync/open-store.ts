import { openPostgresStore } from './postgres-store.js';
import { openSqliteStore } from './sqlite-store.js';
import type { SyncStore } from './sync-store.js';

/** Where the relay keeps its records, as configured (DATA_DIR, SYNC_DATABASE_URL, SYNC_QUOTA_MB). */
export interface SyncSettings {
  /** the SQLite store's directory; unused when databaseUrl is set */
  dataDir: string;
  /** postgres://… selects PostgreSQL (several instances share it); null: SQLite in dataDir */
  databaseUrl: string | null;
  /** stored body bytes allowed per account */
  quotaBytes: number;
}

export async function openSyncStore(
  settings: SyncSettings,
  opts: { onIdleError?: (err: Error) => void } = {},
): Promise<SyncStore> {
  if (settings.databaseUrl !== null)
    return openPostgresStore({
      connectionString: settings.databaseUrl,
      ...(opts.onIdleError ? { onIdleError: opts.onIdleError } : {}),
    });
  return openSqliteStore({ dataDir: settings.dataDir });
}
