import { SyncError } from './sync-error.js';

/**
 * Where the relay keeps records: one small interface, two implementations
 * (SQLite in a data directory, PostgreSQL for several instances) that pass the
 * same contract suite (`test-support/sync-store-contract.ts`).
 *
 * A namespace is one Spotify account id. A record is what a device sent:
 * its id, its key generation (`epoch`) and an opaque body the server never
 * reads. Each stored or replaced record gets the namespace's next sequence
 * number; a device asks for everything after the last number it saw. The
 * counter only grows, even across deletions, so a cursor never points into
 * numbers that will be handed out again.
 */
export interface RecordIn {
  id: string;
  epoch: number;
  body: Buffer;
}

export interface StoredRecord extends RecordIn {
  seq: number;
}

export interface RecordPage {
  records: StoredRecord[];
  /** the seq of the last record in this page; `after` itself when the page is empty */
  cursor: number;
  /** true when records after this page exist (ask again with after = cursor) */
  more: boolean;
}

export interface NamespaceStatus {
  records: number;
  /** stored body bytes, the figure the quota counts */
  bytes: number;
  /** the newest sequence number handed out in this namespace (0: none yet) */
  cursor: number;
  /** the highest epoch stored, null when nothing is stored */
  epoch: number | null;
}

export interface ListOptions {
  /** records after this sequence number */
  after: number;
  limit: number;
  /** stop adding records once this many body bytes are in the page (the first record always comes) */
  maxBytes: number;
}

export interface SyncStore {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores every record or none. The same id with the same epoch and body is
   * left as it is (no new seq); with another body or epoch it is replaced and
   * gets a new seq. Throws SyncError SYNC_QUOTA_FULL, storing nothing, when
   * the namespace would grow beyond quotaBytes.
   */
  put(ns: string, records: readonly RecordIn[], quotaBytes: number): Promise<{ cursor: number }>;
  list(ns: string, opts: ListOptions): Promise<RecordPage>;
  status(ns: string): Promise<NamespaceStatus>;
  /** Removes the records whose epoch is below `epoch`; how many went. */
  deleteBelowEpoch(ns: string, epoch: number): Promise<number>;
  /** Removes every record of the namespace; how many went. */
  deleteAll(ns: string): Promise<number>;
  close(): Promise<void>;
}

/** What a store knows about a stored record with an id a PUT names. */
export interface Existing {
  epoch: number;
  size: number;
  /** the stored body is byte for byte the one being put */
  sameBody: boolean;
}

export interface NamespaceCounters {
  lastSeq: number;
  bytes: number;
  records: number;
}

export interface PutPlan {
  /** records to insert or replace, each with its new seq, in the order sent */
  writes: { record: RecordIn; seq: number }[];
  after: NamespaceCounters;
}

/**
 * The decision both stores make inside their transaction, once they hold the
 * namespace's lock and have read the records the PUT names: which records
 * change, their new seqs, and whether the quota allows it.
 *
 * A PUT is refused only when it makes the namespace bigger than the quota:
 * replacing records with smaller ones is allowed even above it (a quota
 * lowered by the operator must not stop a device from shrinking its data).
 */
export function planPut(
  records: readonly RecordIn[],
  existing: ReadonlyMap<string, Existing>,
  before: NamespaceCounters,
  quotaBytes: number,
): PutPlan {
  const seen = new Set<string>();
  let { lastSeq, bytes, records: count } = before;
  const writes: PutPlan['writes'] = [];
  for (const record of records) {
    if (seen.has(record.id))
      throw new SyncError('SYNC_BAD_REQUEST', 400, `record id "${record.id}" is sent twice`);
    seen.add(record.id);
    const old = existing.get(record.id);
    if (old && old.epoch === record.epoch && old.sameBody) continue;
    lastSeq += 1;
    writes.push({ record, seq: lastSeq });
    bytes += record.body.length - (old?.size ?? 0);
    if (!old) count += 1;
  }
  if (bytes > quotaBytes && bytes > before.bytes) {
    throw new SyncError(
      'SYNC_QUOTA_FULL',
      413,
      `these records would take the account's stored sync data to ${bytes} bytes, over its quota of ${quotaBytes}; nothing was stored`,
      { quotaBytes, usedBytes: before.bytes },
    );
  }
  return { writes, after: { lastSeq, bytes, records: count } };
}
