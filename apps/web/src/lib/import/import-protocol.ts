// Messages between the import worker (reading, unzipping, validating) and the
// page (writing to IndexedDB). Plain data only: everything crosses
// postMessage by structured clone.
import type { ExportFileKind, Play, SkipReason, Track } from '@mtm/core';

export interface ImportStart {
  type: 'start';
  files: File[];
  accountId: string;
  /** Database to read known tracks from (to join name keys); the page does every write. */
  dbName: string;
}

/**
 * The page finished writing one batch. The worker keeps at most a couple of
 * batches unacknowledged, so a fast reader cannot pile 300,000 plays up in
 * the page's memory while IndexedDB is still writing the first ones.
 */
export interface BatchWritten { type: 'ack' }

export type PageMessage = ImportStart | BatchWritten;

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
}

export interface FileEnd { type: 'file-end'; fileId: string }

/** Code 'ZIP' is a broken or truncated archive; the others come from @mtm/core's parser. */
export interface FileFailed { type: 'file-error'; name: string; code: string; message: string }

/** A file that is not listening history (Userdata.json, ReadMe.pdf, ...). */
export interface FileIgnored { type: 'ignored'; name: string }

export interface ReadProgress { type: 'progress'; bytesRead: number; bytesTotal: number }

/**
 * Name-keyed plays to move to Spotify ids, written by this or an earlier
 * import: each name key with every id of that artist + title, preferred first.
 */
export interface Rekey { type: 'rekey'; pairs: [nameKey: string, trackIds: string[]][] }

export interface ReadDone { type: 'done' }
export interface ReadFatal { type: 'fatal'; message: string }

export type WorkerMessage = FileRead | PlayBatch | FileEnd | FileFailed | FileIgnored | ReadProgress | Rekey | ReadDone | ReadFatal;
