// Which files of a privacy export were imported, so an interrupted import can
// finish and a file imported twice is skipped. One row per file:
//   writing -> (every batch of plays) -> done, in the transaction of its last batch
// A file is only marked done after its last play is written (play-writer.ts
// does that in the same transaction); a closed tab leaves it `writing`, and
// importing the same file again rewrites it in full, which is safe because
// writing plays is idempotent.
import type { ImportFileRow, TimeMachineDb } from './schema';

export interface JournalFile {
  /** `${accountId}:${sha256 of the file's bytes}`: the same bytes are the same file. */
  id: string;
  name: string;
  /** Plays the file holds, for the "unfinished import" line. */
  plays: number;
}

/**
 * Marks a file `writing` before its first batch. False when this exact file
 * is already fully imported: its batches can be dropped.
 */
export async function beginFile(
  db: TimeMachineDb,
  accountId: string,
  file: JournalFile,
  now: number,
): Promise<boolean> {
  return db.transaction('rw', db.imports, async () => {
    const row = await db.imports.get(file.id);
    if (row?.state === 'done') return false;
    await db.imports.put({
      id: file.id,
      accountId,
      fileName: file.name,
      state: 'writing',
      plays: file.plays,
      startedAt: row?.startedAt ?? now,
      finishedAt: null,
    });
    return true;
  });
}

/**
 * Marks a file done, with the time range its plays cover (which closes the
 * capture gaps inside it, db/capture.ts); inside the caller's transaction
 * when there is one (see PlayWriter).
 */
export async function markFileDone(
  db: TimeMachineDb,
  fileId: string,
  now: number,
  covers?: { from: number; to: number },
): Promise<void> {
  await db.imports.update(fileId, {
    state: 'done',
    finishedAt: now,
    ...(covers ? { covers } : {}),
  });
}

/** Files whose import was interrupted (tab closed, crash, cancel). */
export async function unfinishedFiles(
  db: TimeMachineDb,
  accountId: string,
): Promise<ImportFileRow[]> {
  const rows = await db.imports.where('accountId').equals(accountId).toArray();
  return rows.filter((r) => r.state === 'writing');
}
