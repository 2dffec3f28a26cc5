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
//  2. freeze version N's layout in shipped-layouts.ts (like `V2_LAYOUT`;
//     IndexedDB version = N * 10, Dexie multiplies); in schema.test.ts write
//     rows into it the way version N's code did (like `V1_ROWS`) and assert
//     that TimeMachineDb finds every one, upgraded. Keep the older fixtures:
//     a phone may skip versions.
//  3. bump SCHEMA_VERSION.
// Version 2 (the feature-miss table) is the worked example; version 3 (plays
// by day) also moves rows to a new table, since a primary key cannot change.
import Dexie, { type EntityTable } from 'dexie';
import type { Artist, AudioFeatures, Play, PlaySource, Snapshot, Track } from '@mtm/core';

export const DB_NAME = 'music-time-machine';
/** The Dexie version this code declares last. */
export const SCHEMA_VERSION = 3;

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
  // Added after version 1; Dexie keeps fields that are not indexed without a
  // schema change, so rows written before them simply lack them.
  /**
   * True from the moment createPlaylist may have reached Spotify. A retry with
   * no playlistId must then look for the marker before creating: the playlist
   * may exist even though we never learned its id.
   */
  createAttempted?: boolean;
  /** When the entry reached `done`. */
  finishedAt?: number | null;
  /** What produced the list ("mood", "gems"), for the outbox page. */
  origin?: string;
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
  /**
   * The time range the file's plays span, first to last end time (issue 14;
   * not indexed, so no schema version: rows of older imports lack it). Set
   * with `done`, in the same transaction: capture gaps inside it are closed.
   */
  covers?: { from: number; to: number };
}

/**
 * One account's plays that ended on one UTC day (version 3), as parallel
 * columns: play i is (playedAt[i], trackId[i], msPlayed[i], source[i]).
 * Sorted by end time then track id, and unique on that pair: the rule the
 * version-1 primary key kept, so a re-import or a recently-played capture of
 * the same play replaces it instead of doubling. One row per day, not per
 * play: IndexedDB here writes ~10,000 rows a second whatever their size, and
 * a 10-year export holds 300,000 plays but only ~3,650 days
 * (docs/PERFORMANCE.md). Read and written only through db/plays.ts.
 */
export interface PlayDayRow {
  accountId: string;
  /** `utcDay(playedAt)` of every play in the row. */
  day: number;
  playedAt: number[];
  trackId: string[];
  msPlayed: number[];
  source: PlaySource[];
}

/** Days since the epoch, UTC: the `day` a play is stored under. */
export const utcDay = (playedAt: number): number => Math.floor(playedAt / 86_400_000);

/** Plays per read while version 3's upgrade regroups them. */
const V3_UPGRADE_PAGE = 10_000;

/** How version 1 and 2 stored a play: one row each, keyed [accountId+playedAt+trackId]. */
export type V2PlayRow = Play;

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
  playDays!: Dexie.Table<PlayDayRow, [string, number]>;
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
        const misses =
          row && typeof row.value === 'object' && row.value !== null
            ? Object.entries(row.value as Record<string, unknown>)
            : [];
        await tx
          .table('featureMisses')
          .bulkPut(
            misses
              .filter((e): e is [string, number] => typeof e[1] === 'number')
              .map(([trackId, askedAt]) => ({ trackId, askedAt })),
          );
        await tx.table('meta').delete(V1_FEATURE_MISSES_KEY);
      });
    // Version 3: plays move from one row each to one row per account and UTC
    // day. Dexie deletes the old table only after this upgrade has run, in the
    // same upgrade transaction: a failure leaves version 2 as it was.
    this.version(3)
      .stores({ plays: null, playDays: '[accountId+day]' })
      .upgrade(async (tx) => {
        const rows: PlayDayRow[] = [];
        const plays = tx.table<V2PlayRow, [string, number, string]>('plays');
        // read in pages by primary key: a getAll() of 300,000 rows would be
        // one long task on the page's main thread, and a cursor made the first
        // open 13.3 s instead of ~9 s for 10 years (docs/PERFORMANCE.md). The
        // key order is (account, end time, track): each day's plays arrive
        // together and already sorted.
        for (let after: [string, number, string] | null = null; ;) {
          const page: V2PlayRow[] = await (
            after ? plays.where(':id').above(after) : plays.toCollection()
          )
            .limit(V3_UPGRADE_PAGE)
            .toArray();
          for (const p of page) {
            const day = utcDay(p.playedAt);
            let row = rows[rows.length - 1];
            if (row?.accountId !== p.accountId || row.day !== day)
              rows.push(
                (row = {
                  accountId: p.accountId,
                  day,
                  playedAt: [],
                  trackId: [],
                  msPlayed: [],
                  source: [],
                }),
              );
            row.playedAt.push(p.playedAt);
            row.trackId.push(p.trackId);
            row.msPlayed.push(p.msPlayed);
            row.source.push(p.source);
          }
          const last = page[page.length - 1];
          if (page.length < V3_UPGRADE_PAGE || !last) break;
          after = [last.accountId, last.playedAt, last.trackId];
        }
        // a year of days per put: serialising every row at once would be one long task too
        for (let i = 0; i < rows.length; i += 366)
          await tx.table('playDays').bulkPut(rows.slice(i, i + 366));
      });
  }
}
