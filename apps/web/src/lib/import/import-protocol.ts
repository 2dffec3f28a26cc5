// Messages of an import. The worker reads, validates AND writes (IndexedDB
// from the worker: the page's main thread never serialises a play), so the
// page only gets counts. Plain data only: everything crosses postMessage by
// structured clone.
import type { ExportFileKind, Play, SkipReason, Track } from '@mtm/core';

/** Page -> worker: the only message. Cancel is `worker.terminate()`. */
export interface ImportStart {
  type: 'start';
  files: File[];
  accountId: string;
  /** Database the worker opens to read known tracks and write every row. */
  dbName: string;
}

export type PageMessage = ImportStart;

// ---- inside the worker: the reader (import-reader.ts) to the writer (import-job.ts)

/** A history file was read and validated; its plays follow in batches. */
export interface FileRead {
  type: 'file';
  /** Journal id: `${accountId}:${sha256 of the file's bytes}`. */
  id: string;
  name: string;
  kind: ExportFileKind;
  plays: number;
  skipped: Record<SkipReason, number>;
  adjusted: number;
}

export interface PlayBatch {
  type: 'batch';
  fileId: string;
  /** Sorted by playedAt. */
  plays: Play[];
  /** Tracks first named in this batch (each track is sent once per import). */
  tracks: Track[];
  /** The file's last batch: its journal row turns `done` in the same transaction. */
  last: boolean;
}

export interface FileEnd {
  type: 'file-end';
  fileId: string;
}

/**
 * Code 'ZIP' is a broken or truncated archive, 'TOO_BIG' a file or archive
 * that would unpack to more than any Spotify export (zip-entries.ts's
 * limits); the others come from @mtm/core's parser.
 */
export interface FileFailed {
  type: 'file-error';
  name: string;
  code: string;
  message: string;
}

/** A file that is not listening history (Userdata.json, ReadMe.pdf, ...). */
export interface FileIgnored {
  type: 'ignored';
  name: string;
}

export interface ReadProgress {
  type: 'progress';
  bytesRead: number;
  bytesTotal: number;
}

/**
 * Name-keyed plays to move to Spotify ids, written by this or an earlier
 * import: each name key with every id of that artist + title, preferred first.
 */
export interface Rekey {
  type: 'rekey';
  pairs: [nameKey: string, trackIds: string[]][];
}

export interface ReadDone {
  type: 'done';
}
export interface ReadFatal {
  type: 'fatal';
  message: string;
}

export type ReaderMessage =
  | FileRead
  | PlayBatch
  | FileEnd
  | FileFailed
  | FileIgnored
  | ReadProgress
  | Rekey
  | ReadDone
  | ReadFatal;

// ---- worker -> page: what was read and written, never the rows themselves

/** A file's journal row is `writing` (fresh) or it was already fully imported (its plays are dropped). */
export interface FileStarted extends Omit<FileRead, 'type'> {
  type: 'file';
  fresh: boolean;
}

/** One batch of a file is committed. */
export interface BatchWritten {
  type: 'written';
  fileId: string;
  plays: number;
  added: number;
  duplicates: number;
}

/** The file's journal row is `done`. */
export interface FileDone {
  type: 'file-end';
  fileId: string;
}

/** Name-keyed plays moved to ids; `merged` of them were listens already stored. */
export interface Rekeyed {
  type: 'rekeyed';
  merged: number;
}

export type WorkerMessage =
  | FileStarted
  | BatchWritten
  | FileDone
  | FileFailed
  | FileIgnored
  | ReadProgress
  | Rekeyed
  | ReadDone
  | ReadFatal;
