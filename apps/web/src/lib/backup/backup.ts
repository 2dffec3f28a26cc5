// One account's diary as a single JSON file, and back. Import checks the
// whole file here first (backup-schema.ts), and only then hands it to
// lib/db/backup-rows.ts, which writes it in one transaction: a bad file
// changes nothing.
import type { TimeMachineDb } from '../db/schema';
import { readBackupRows } from '../db/backup-rows';
import { BACKUP_VERSION, backupFile, backupHeader, type BackupFile } from './backup-schema';

export type BackupErrorCode =
  'NOT_JSON' | 'NOT_A_BACKUP' | 'NEWER_VERSION' | 'MALFORMED' | 'UNKNOWN_ACCOUNT';

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
export { mergeBackupRows as importBackup, type ImportSummary } from '../db/backup-rows';
