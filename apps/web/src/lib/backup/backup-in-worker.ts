// The page's half of a backup, both ways, off the main thread
// (backup.worker.ts): an import refuses a file by its size before anything
// reads it, then hands the File to the worker; an export asks the worker to
// read the account's rows and build the file. Either way the page waits for
// one answer. The page's own database sees restored rows through Dexie's
// change events, and the caller announces an import (app.dataChanged) as usual.
import { BackupError, checkBackupSize, type ExportAnswer, type RestoreAnswer } from './backup';
import type { ImportSummary } from '../db/backup-rows';

export type BackupRequest =
  | { type: 'restore'; file: Blob; dbName: string }
  | { type: 'export'; accountId: string; now: number; dbName: string };

export interface BackupWorker {
  onmessage: ((e: MessageEvent<RestoreAnswer | ExportAnswer>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(m: BackupRequest): void;
  terminate(): void;
}

export function createBackupWorker(): BackupWorker {
  return new Worker(new URL('./backup.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as BackupWorker;
}

/** Runs one request in a new worker; its one answer, or the worker's own failure. */
function ask<A extends RestoreAnswer | ExportAnswer>(
  request: BackupRequest,
  createWorker: () => BackupWorker,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const worker = createWorker();
    worker.onmessage = (e) => {
      worker.terminate();
      resolve(e.data as A);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'The backup worker stopped.'));
    };
    worker.postMessage(request);
  });
}

/** Imports `file` into the database named `dbName`; rejects with BackupError for a refused file. */
export async function restoreInWorker(
  file: Blob,
  dbName: string,
  createWorker: () => BackupWorker = createBackupWorker,
): Promise<ImportSummary> {
  checkBackupSize(file.size);
  const answer = await ask<RestoreAnswer>({ type: 'restore', file, dbName }, createWorker);
  if (answer.type === 'done') return answer.summary;
  if (answer.type === 'refused') throw new BackupError(answer.code, answer.message);
  throw new Error(answer.message);
}

export interface ExportedBackup {
  file: Blob;
  name: string;
  snapshots: number;
  plays: number;
}

/** The backup of `accountId` in the database named `dbName`, built in a worker. */
export async function exportInWorker(
  dbName: string,
  accountId: string,
  now: number,
  createWorker: () => BackupWorker = createBackupWorker,
): Promise<ExportedBackup> {
  const answer = await ask<ExportAnswer>({ type: 'export', accountId, now, dbName }, createWorker);
  if (answer.type === 'exported') return answer;
  if (answer.type === 'refused') throw new BackupError(answer.code, answer.message);
  throw new Error(answer.message);
}
