// The page's half of a backup import: refuse a file by its size before
// anything reads it, then hand the File to backup.worker.ts and wait for its
// one answer. The page's own database sees the rows through Dexie's change
// events, and the caller announces the import (app.dataChanged) as usual.
import { BackupError, checkBackupSize, type RestoreAnswer } from './backup';
import type { ImportSummary } from '../db/backup-rows';

export interface RestoreRequest {
  file: Blob;
  dbName: string;
}

export interface RestoreWorker {
  onmessage: ((e: MessageEvent<RestoreAnswer>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  postMessage(m: RestoreRequest): void;
  terminate(): void;
}

export function createRestoreWorker(): RestoreWorker {
  return new Worker(new URL('./backup.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as RestoreWorker;
}

/** Imports `file` into the database named `dbName`; rejects with BackupError for a refused file. */
export function restoreInWorker(
  file: Blob,
  dbName: string,
  createWorker: () => RestoreWorker = createRestoreWorker,
): Promise<ImportSummary> {
  try {
    checkBackupSize(file.size);
  } catch (e) {
    return Promise.reject(e as Error);
  }
  return new Promise((resolve, reject) => {
    const worker = createWorker();
    worker.onmessage = (e) => {
      worker.terminate();
      const answer = e.data;
      if (answer.type === 'done') resolve(answer.summary);
      else if (answer.type === 'refused') reject(new BackupError(answer.code, answer.message));
      else reject(new Error(answer.message));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'The backup reader stopped.'));
    };
    worker.postMessage({ file, dbName });
  });
}
