// One whole import, run inside the worker: the reader validates files and
// hands over batches, and this writes them to IndexedDB (through lib/db's
// PlayWriter and import journal, merge included) and reports counts to the page.
// Per file: one transaction marks it `writing`, then one per batch of plays
// (with its new tracks), the last one also marking the file `done`.
// Writing here instead of on the page is the point (docs/PERFORMANCE.md):
// IndexedDB serialises every row on the thread that calls put(), which was
// the page's main thread. Kept free of `self` so tests run it in Node.
import type { ExportFileKind } from '@mtm/core';
import type { TimeMachineDb } from '../db/schema';
import { BatchCredit } from './batch-credit';
import type { ReaderMessage, WorkerMessage } from './import-protocol';
import { readImport } from './import-reader';
import { PlayWriter, type PlayPrecision } from '../db/play-writer';
import { beginFile, markFileDone } from '../db/import-journal';

export interface JobOptions {
  accountId: string;
  db: TimeMachineDb;
  now: () => number;
  emit: (m: WorkerMessage) => void;
  /**
   * Plays per batch, and per write transaction: 20,000 holds a whole export
   * file (Spotify splits them at ~15,000 rows), so a file is written and
   * marked `done` in one transaction. Off the main thread its length harms
   * nobody; fewer transactions did no harm in docs/PERFORMANCE.md either.
   */
  batchSize?: number;
  /**
   * Batches read but not yet written. Reading (CPU in the worker) overlaps
   * writing (IndexedDB's own threads), and memory stays bounded.
   */
  inFlight?: number;
  /** Flow control to use instead of `new BatchCredit(inFlight)` (tests count with it). */
  credit?: BatchCredit;
  /** Stops writing after the batch in hand (tests; the worker is simply terminated). */
  signal?: AbortSignal;
}

/** Account-data rows are dated to the minute, extended-history rows to the second. */
const precisionOf = (kind: ExportFileKind): PlayPrecision =>
  kind === 'account' ? 'minute' : 'second';

type Files = Parameters<typeof readImport>[0];

export async function runImport(files: Files, opts: JobOptions): Promise<void> {
  const { db, accountId, emit, signal } = opts;
  const batchSize = opts.batchSize ?? 20_000;
  // an export's names only fill what the device lacks: the tracks table is shared by every diary
  const writer = new PlayWriter(db, accountId, opts.now, batchSize, 'fill');
  const credit = opts.credit ?? new BatchCredit(opts.inFlight ?? 2);
  const precisions = new Map<string, PlayPrecision>();
  const dropped = new Set<string>();
  const finished = new Set<string>();
  // the time range each file's plays span, kept on its journal row when it is
  // done: capture gaps inside it close (issue 14)
  const spans = new Map<string, { from: number; to: number }>();
  const widen = (fileId: string, plays: readonly { playedAt: number }[]) => {
    let span = spans.get(fileId);
    for (const p of plays) {
      if (!span) spans.set(fileId, (span = { from: p.playedAt, to: p.playedAt }));
      span.from = Math.min(span.from, p.playedAt);
      span.to = Math.max(span.to, p.playedAt);
    }
  };
  let failure: unknown = null;
  // one message at a time, in order: a file's journal row is `writing` before
  // its first batch and `done` only after its last
  let chain: Promise<void> = Promise.resolve();

  const handle = async (m: ReaderMessage): Promise<void> => {
    if (failure !== null || signal?.aborted) {
      // a reader waiting for credit must wake up to see why it stops
      if (m.type === 'batch') credit.give();
      return;
    }
    switch (m.type) {
      case 'file': {
        precisions.set(m.id, precisionOf(m.kind));
        const fresh = await beginFile(db, accountId, m, opts.now());
        if (!fresh) dropped.add(m.id);
        emit({ ...m, fresh });
        return;
      }
      case 'batch': {
        try {
          if (dropped.has(m.fileId)) return;
          widen(m.fileId, m.plays);
          const r = await writer.write(
            m.plays,
            m.tracks,
            precisions.get(m.fileId) ?? 'second',
            m.last ? m.fileId : undefined,
            m.last ? spans.get(m.fileId) : undefined,
          );
          if (m.last) finished.add(m.fileId);
          emit({ type: 'written', fileId: m.fileId, plays: m.plays.length, ...r });
        } finally {
          credit.give();
        }
        return;
      }
      case 'file-end':
        if (dropped.has(m.fileId)) return;
        // a file with no plays (all skipped) had no batch to finish it
        if (!finished.has(m.fileId))
          await markFileDone(db, m.fileId, opts.now(), spans.get(m.fileId));
        emit(m);
        return;
      case 'rekey':
        emit({ type: 'rekeyed', merged: await writer.rekey(m.pairs) });
        return;
      default:
        emit(m);
    }
  };

  const ready = async (): Promise<void> => {
    await credit.take();
    // a failed write or a cancel stops the reader too
    if (failure !== null) throw failure;
    if (signal?.aborted) throw new Error('cancelled');
  };

  try {
    await readImport(files, {
      accountId,
      now: opts.now,
      batchSize,
      ready,
      storedTracks: () => db.tracks.toArray(),
      emit: (m) => {
        // the reader's own end waits for every write before it
        chain = chain
          .then(() => handle(m))
          .catch((err: unknown) => {
            failure ??= err;
            // wake a reader waiting for credit so it sees the failure
            credit.give();
          });
      },
    });
  } catch (err) {
    failure ??= err;
  }
  await chain;
  if (signal?.aborted) return;
  if (failure !== null)
    emit({ type: 'fatal', message: failure instanceof Error ? failure.message : String(failure) });
}
