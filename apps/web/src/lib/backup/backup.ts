// One account's diary as a single JSON file, and back. Import checks the
// file's size before reading it, then the whole file here (backup-schema.ts),
// and only then hands it to lib/db/backup-rows.ts, which writes it in one
// transaction: a bad file changes nothing. The page runs the import in a
// worker (backup.worker.ts, backup-in-worker.ts); everything here is plain
// code that tests run in Node.
import type { TimeMachineDb } from '../db/schema';
import { mergeBackupRows, readBackupRows, type ImportSummary } from '../db/backup-rows';
import { BACKUP_VERSION, backupFile, backupHeader, type BackupFile } from './backup-schema';

export type BackupErrorCode =
  'NOT_JSON' | 'NOT_A_BACKUP' | 'NEWER_VERSION' | 'MALFORMED' | 'TOO_BIG' | 'UNKNOWN_ACCOUNT';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

/** One account's whole diary as a backup file; UNKNOWN_ACCOUNT when this device has none of it. */
export async function exportBackup(
  db: TimeMachineDb,
  accountId: string,
  now: number,
): Promise<BackupFile> {
  const file = await readBackupRows(db, accountId, now);
  if (!file) throw new BackupError('UNKNOWN_ACCOUNT', 'This account has no data on this device.');
  return file;
}

export function backupFileName(accountId: string, now: number): string {
  const day = new Date(now).toISOString().slice(0, 10);
  const safe = accountId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
  return `music-time-machine-${safe}-${day}.json`;
}

/**
 * The largest backup file read. Measured with backup-bench.ts (2026-12): a
 * diary of 330,000 plays (ten years of an hour and a half a day), 5,000
 * tracks and 468 snapshots makes a 41 MB file, parsed and checked in ~2 s. A
 * real ten-year diary holds more distinct tracks, so call it 40 to 60 MB. 512
 * MB leaves ten times that, and is about the longest string V8 can hold at
 * all (2^29 - 24 characters), so a larger file could not be read as text
 * anyway: it is refused from its size, before a byte is read.
 */
export const MAX_BACKUP_BYTES = 512_000_000;

/** "2.1 GB", "41 MB", "900 KB": a file size in the decimal units file managers show. */
export function sizeWords(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${Math.round(bytes / 1e6)} MB`;
  return `${Math.max(1, Math.round(bytes / 1e3))} KB`;
}

/** Throws TOO_BIG for a file no backup of this app can be; call it before reading the file. */
export function checkBackupSize(bytes: number): void {
  if (bytes <= MAX_BACKUP_BYTES) return;
  const max = sizeWords(MAX_BACKUP_BYTES);
  const size = sizeWords(bytes);
  throw new BackupError(
    'TOO_BIG',
    `This file is ${size === max ? `over ${max}` : size}; a backup of this app is at most ${max} (ten years of listening make about 50 MB), so it is not one. Nothing was changed.`,
  );
}

/** Parses and checks a backup's text; throws BackupError with a sentence a person can act on. */
export function parseBackup(text: string): BackupFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new BackupError(
      'NOT_JSON',
      'This file is not a Music Time Machine backup (it is not JSON).',
    );
  }
  const header = backupHeader.safeParse(raw);
  if (!header.success) {
    throw new BackupError('NOT_A_BACKUP', 'This file is not a Music Time Machine backup.');
  }
  if (header.data.version > BACKUP_VERSION) {
    throw new BackupError(
      'NEWER_VERSION',
      `This backup was made by a newer version of the app (backup format ${header.data.version}; this app reads up to ${BACKUP_VERSION}). Update the app, then import it again.`,
    );
  }
  const parsed = backupFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new BackupError(
      'MALFORMED',
      `This backup is damaged and was not imported (${where || 'file'}: ${issue?.message ?? 'invalid'}). Nothing was changed.`,
    );
  }
  return parsed.data;
}

// Merges a parsed (and so checked) backup into the database, all or nothing.
export { mergeBackupRows as importBackup, type ImportSummary };

/** What the import reads: a File, or anything with its size and text. */
export interface BackupSource {
  readonly size: number;
  text(): Promise<string>;
}

/** The whole import of one file: size, then parse and check, then merge. */
export async function restoreBackup(db: TimeMachineDb, file: BackupSource): Promise<ImportSummary> {
  checkBackupSize(file.size);
  return mergeBackupRows(db, parseBackup(await file.text()));
}

/** restoreBackup's outcome as a message a worker can post (errors do not survive postMessage). */
export type RestoreAnswer =
  | { type: 'done'; summary: ImportSummary }
  | { type: 'refused'; code: BackupErrorCode; message: string }
  | { type: 'failed'; message: string };

export async function restoreAnswer(db: TimeMachineDb, file: BackupSource): Promise<RestoreAnswer> {
  try {
    return { type: 'done', summary: await restoreBackup(db, file) };
  } catch (e) {
    if (e instanceof BackupError) return { type: 'refused', code: e.code, message: e.message };
    return { type: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

export type ExportAnswer =
  | { type: 'exported'; file: Blob; name: string; snapshots: number; plays: number }
  | { type: 'refused'; code: BackupErrorCode; message: string }
  | { type: 'failed'; message: string };

/**
 * One account's backup as a JSON file, or why not, as one message (what
 * backup.worker.ts posts back): for ten years, building the text takes
 * JSON.stringify of ~50 MB, which belongs off the page.
 */
export async function exportAnswer(
  db: TimeMachineDb,
  accountId: string,
  now: number,
): Promise<ExportAnswer> {
  try {
    const file = await exportBackup(db, accountId, now);
    return {
      type: 'exported',
      file: new Blob([JSON.stringify(file)], { type: 'application/json' }),
      name: backupFileName(accountId, now),
      snapshots: file.snapshots.length,
      plays: file.plays.length,
    };
  } catch (e) {
    if (e instanceof BackupError) return { type: 'refused', code: e.code, message: e.message };
    return { type: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}
