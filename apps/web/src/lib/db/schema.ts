// The device database. Raw facts only: everything shown is derived by
// @mtm/core from these rows. Each schema change is a new Dexie version with an
// upgrade function and a test that opens a database written by the previous
// version (schema.test.ts).
//
// Adding version N+1 (never edit a shipped version's stores):
//  1. below the last `this.version(N)...`, add
//     `this.version(N + 1).stores({ <only the changed tables> }).upgrade(async (tx) => { ... })`;
//     the upgrade rewrites existing rows into the new shape inside Dexie's
//     upgrade transaction, so a failure leaves the old database untouched.
//  2. in schema.test.ts, freeze version N's layout as a raw IndexedDB fixture
//     (like `V1_LAYOUT` + `V1_ROWS`; IndexedDB version = N * 10, Dexie
//     multiplies), write rows the way version N's code did, and assert that
//     TimeMachineDb finds every one, upgraded. Keep the older fixtures: a
//     phone may skip versions.
//  3. bump SCHEMA_VERSION.
// Version 2 (the feature-miss table) is the worked example.
import Dexie, { type EntityTable } from 'dexie';
import type { Artist, AudioFeatures, Play, Snapshot, Track } from '@mtm/core';

export const DB_NAME = 'music-time-machine';
/** The Dexie version this code declares last. */
export const SCHEMA_VERSION = 2;

/** One Spotify account known on this device; every diary row is keyed on it. */
export interface AccountRow {
  /** `account_id` from GET /me, falling back to `id`. */
  accountId: string;
  displayName: string | null;
  imageUrl: string | null;
  connectedAt: number;
}

/** Per-account key/value facts: settings, the recently-played cursor, ... */
export interface MetaRow {
  /** `${accountId}:${name}`, or a device-wide `device:${name}`. */
  key: string;
  value: unknown;
}

export type OutboxState = 'pending' | 'creating' | 'adding' | 'done' | 'failed';

/** A playlist waiting to be (or being) pushed to Spotify. */
export interface OutboxRow {
  id: string;
  accountId: string;
  createdAt: number;
  updatedAt: number;
  state: OutboxState;
  name: string;
  description: string;
  /** Ordered spotify:track: URIs. */
  uris: string[];
  /** Set once the playlist exists on Spotify. */
  playlistId: string | null;
  playlistUrl: string | null;
  /** How many of `uris` are confirmed on the playlist. */
  addedCount: number;
  attempts: number;
  lastError: { code: string; message: string; retryAt: number | null } | null;
}

/** One imported file of a privacy export, so an interrupted import can finish. */
export interface ImportFileRow {
  /** `${accountId}:${sha256 of the file bytes}` */
  id: string;
  accountId: string;
  fileName: string;
  state: 'writing' | 'done';
  plays: number;
  startedAt: number;
  finishedAt: number | null;
}

export type FeatureRow = AudioFeatures;

/**
 * A track the audio-feature source did not know when last asked (version 2).
 * Device-wide, like the features themselves: asked again after a while, not
 * at every sync.
 */
export interface FeatureMissRow {
  trackId: string;
  askedAt: number;
}

/** Where version 1 kept the misses: one meta row holding `{ [trackId]: askedAt }`. */
export const V1_FEATURE_MISSES_KEY = 'device:featuresUnknown';

export class TimeMachineDb extends Dexie {
  accounts!: EntityTable<AccountRow, 'accountId'>;
  tracks!: EntityTable<Track, 'id'>;
  artists!: EntityTable<Artist, 'id'>;
  snapshots!: EntityTable<Snapshot, 'id'>;
  plays!: Dexie.Table<Play, [string, number, string]>;
  features!: EntityTable<FeatureRow, 'trackId'>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  imports!: EntityTable<ImportFileRow, 'id'>;
  meta!: EntityTable<MetaRow, 'key'>;
  featureMisses!: EntityTable<FeatureMissRow, 'trackId'>;

  constructor(name = DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]) {
    super(name, options);
    this.version(1).stores({
      accounts: 'accountId',
      tracks: 'id',
      artists: 'id',
      // rank = index in trackIds
      snapshots: 'id, [accountId+takenAt], [accountId+range+takenAt]',
      // the compound primary key is the uniqueness rule: a re-import or a
      // recently-played capture of the same play overwrites instead of doubling
      plays: '[accountId+playedAt+trackId], [accountId+trackId]',
      features: 'trackId',
      outbox: 'id, accountId, state, createdAt',
      imports: 'id, accountId',
      meta: 'key',
    });
    // Version 2: the feature misses leave their single meta row (rewritten
    // whole after every batch, thousands of ids after a big import) for a table.
    this.version(2)
      .stores({ featureMisses: 'trackId' })
      .upgrade(async (tx) => {
        const row = (await tx.table('meta').get(V1_FEATURE_MISSES_KEY)) as MetaRow | undefined;
        const misses = row && typeof row.value === 'object' && row.value !== null ? Object.entries(row.value as Record<string, unknown>) : [];
        await tx.table('featureMisses').bulkPut(
          misses.filter((e): e is [string, number] => typeof e[1] === 'number').map(([trackId, askedAt]) => ({ trackId, askedAt })),
        );
        await tx.table('meta').delete(V1_FEATURE_MISSES_KEY);
      });
  }
}
