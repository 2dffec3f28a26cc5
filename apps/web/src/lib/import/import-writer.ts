// Writes imported plays to IndexedDB, merge-aware. Two callers: the import
// worker (import-job.ts: one transaction per batch of up to 20,000 plays,
// nothing else runs on that thread) and the sync on the page's main thread
// (recent plays, 50 at a time, in the default small transactions). Each
// history file of an import is journalled in `imports`:
//   writing -> (every batch) -> done, in the transaction of its last batch.
// A file is only marked done after its last play is written; a closed tab
// leaves it `writing`, and importing the same file again rewrites it in full.
// That is safe because writing is idempotent: the primary key plus
// mergePlays (see @mtm/core history-import-merge.ts) drop every play already
// stored, and replace recently-played captures of the same listen.
import Dexie from 'dexie';
import { SAME_LISTEN_TOLERANCE_MS, assignIds, mergePlays, type ExportFileKind, type Play, type Track } from '@mtm/core';
import type { ImportFileRow, TimeMachineDb } from '../db/schema';
import { saveTracks } from '../db/tracks';
import type { FileRead } from './import-protocol';

/** Every stored play that could be the same listen as a play in [from, to]. */
const MATCH_WINDOW_MS = 60_000 + SAME_LISTEN_TOLERANCE_MS;

export interface WriteResult {
  added: number;
  /** Already stored, or the same listen as a stored play. */
  duplicates: number;
}

type Key = [string, number, string];
const keyOf = (p: Play): Key => [p.accountId, p.playedAt, p.trackId];

export class ImportWriter {
  constructor(
    private readonly db: TimeMachineDb,
    private readonly accountId: string,
    private readonly now: () => number,
    // IndexedDB's put() serialises each row on the calling thread: on the
    // main thread 1,000 rows took up to ~210 ms in one task on the loaded
    // benchmark machine (docs/PERFORMANCE.md), so a transaction takes 500
    // there; the import worker passes its batch size
    private readonly chunkSize = 500,
  ) {}

  /** False when this exact file is already fully imported: its batches can be dropped. */
  async beginFile(file: FileRead): Promise<boolean> {
    return this.db.transaction('rw', this.db.imports, async () => {
      const row = await this.db.imports.get(file.id);
      if (row?.state === 'done') return false;
      await this.db.imports.put({
        id: file.id, accountId: this.accountId, fileName: file.name, state: 'writing',
        plays: file.plays, startedAt: row?.startedAt ?? this.now(), finishedAt: null,
      });
      return true;
    });
  }

  /**
   * `kind` is the file's: account-data rows are to the minute, extended rows
   * to the second. `finishes`: the journal id of a file this batch ends, marked
   * `done` in the transaction of its last plays: the mark can never be
   * committed without them, and no separate transaction is spent on it.
   */
  async writeBatch(plays: readonly Play[], tracks: readonly Track[], kind: ExportFileKind, finishes?: string): Promise<WriteResult> {
    const precision = kind === 'account' ? 'minute' : 'second';
    const total: WriteResult = { added: 0, duplicates: 0 };
    // tracks are nested objects, dearer to put than plays: at most half a
    // chunk of them rides in the first plays transaction, the rest go first
    const step = Math.max(1, Math.floor(this.chunkSize / 2));
    for (let i = step; i < tracks.length; i += step) await saveTracks(this.db, tracks.slice(i, i + step));
    const first = tracks.slice(0, step);
    if (plays.length === 0) {
      await saveTracks(this.db, first);
      if (finishes !== undefined) await this.endFile(finishes);
      return total;
    }
    for (let i = 0; i < plays.length; i += this.chunkSize) {
      const last = i + this.chunkSize >= plays.length;
      const r = await this.writeChunk(plays.slice(i, i + this.chunkSize), precision, i === 0 ? first : [], last ? finishes : undefined);
      total.added += r.added;
      total.duplicates += r.duplicates;
    }
    return total;
  }

  async endFile(fileId: string): Promise<void> {
    await this.db.imports.update(fileId, { state: 'done', finishedAt: this.now() });
  }

  /** Files whose import was interrupted (tab closed, crash, cancel). */
  async unfinished(): Promise<ImportFileRow[]> {
    const rows = await this.db.imports.where('accountId').equals(this.accountId).toArray();
    return rows.filter((r) => r.state === 'writing');
  }

  /**
   * Moves plays stored under a name key to a Spotify id of that song. Returns
   * how many of them turned out to be listens already stored under an id.
   */
  async rekey(pairs: readonly [string, string[]][]): Promise<number> {
    let merged = 0;
    for (const [key, ids] of pairs) {
      if (ids.length === 0) continue;
      await this.db.transaction('rw', this.db.plays, async () => {
        const byKey = await this.db.plays.where('[accountId+trackId]').equals([this.accountId, key]).toArray();
        if (byKey.length === 0) return;
        // only plays of the same song can be the same listen
        const known = await this.db.plays.where('[accountId+trackId]').anyOf(ids.map((id) => [this.accountId, id])).toArray();
        // name-keyed plays are account data (to the minute), bar the odd local file
        const m = mergePlays(known, assignIds(byKey, known, ids[0]!), { incomingPrecision: 'minute' });
        await this.db.plays.bulkDelete([...byKey, ...m.remove].map(keyOf));
        await this.db.plays.bulkPut(m.add);
        merged += m.duplicates + m.remove.length;
      });
    }
    return merged;
  }

  private async writeChunk(plays: readonly Play[], precision: 'second' | 'minute', tracks: readonly Track[], finishes: string | undefined): Promise<WriteResult> {
    let from = Infinity;
    let to = -Infinity;
    for (const p of plays) { from = Math.min(from, p.playedAt); to = Math.max(to, p.playedAt); }
    // only the tables this chunk writes: the sync's small writes must not lock tracks for nothing
    const tables = [this.db.plays, ...(tracks.length > 0 ? [this.db.tracks] : []), ...(finishes !== undefined ? [this.db.imports] : [])];
    return this.db.transaction('rw', tables, async () => {
      await saveTracks(this.db, tracks);
      const existing = await this.db.plays
        .where('[accountId+playedAt+trackId]')
        .between([this.accountId, from - MATCH_WINDOW_MS, Dexie.minKey], [this.accountId, to + MATCH_WINDOW_MS, Dexie.maxKey], true, true)
        .toArray();
      const m = mergePlays(existing, plays, { incomingPrecision: precision });
      // deletes first: a replaced recently-played row may share its key with the new one
      if (m.remove.length > 0) await this.db.plays.bulkDelete(m.remove.map(keyOf));
      if (m.add.length > 0) await this.db.plays.bulkPut(m.add);
      if (finishes !== undefined) await this.endFile(finishes);
      return { added: m.add.length - m.remove.length, duplicates: m.duplicates + m.remove.length };
    });
  }
}
