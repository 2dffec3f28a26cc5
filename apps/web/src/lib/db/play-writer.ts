// Writes imported plays to IndexedDB, merge-aware. Two callers: the import
// worker (import-job.ts: one transaction per batch of up to 20,000 plays,
// nothing else runs on that thread) and the sync on the page's main thread
// (recent plays, 50 at a time, in the default small transactions). Each
// history file of an import is journalled in `imports`:
//   writing -> (every batch) -> done, in the transaction of its last batch.
// A file is only marked done after its last play is written; a closed tab
// leaves it `writing`, and importing the same file again rewrites it in full.
// That is safe because writing is idempotent: plays are unique on (end time,
// track), and mergePlays (see @mtm/core history-import-merge.ts) drops every
// play already stored and replaces recently-played captures of the same listen.
import {
  SAME_LISTEN_TOLERANCE_MS,
  assignIds,
  mergePlays,
  type ExportFileKind,
  type Play,
  type Track,
} from '@mtm/core';
import { PlayDays } from '../db/plays';
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

export class ImportWriter {
  constructor(
    private readonly db: TimeMachineDb,
    private readonly accountId: string,
    private readonly now: () => number,
    // plays per transaction: IndexedDB's put() serialises each row on the
    // calling thread, so the sync on the page's main thread writes at most
    // 500 plays' days at a time; the import worker passes its batch size
    private readonly chunkSize = 500,
  ) {}

  /** False when this exact file is already fully imported: its batches can be dropped. */
  async beginFile(file: FileRead): Promise<boolean> {
    return this.db.transaction('rw', this.db.imports, async () => {
      const row = await this.db.imports.get(file.id);
      if (row?.state === 'done') return false;
      await this.db.imports.put({
        id: file.id,
        accountId: this.accountId,
        fileName: file.name,
        state: 'writing',
        plays: file.plays,
        startedAt: row?.startedAt ?? this.now(),
        finishedAt: null,
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
  async writeBatch(
    plays: readonly Play[],
    tracks: readonly Track[],
    kind: ExportFileKind,
    finishes?: string,
  ): Promise<WriteResult> {
    const precision = kind === 'account' ? 'minute' : 'second';
    const total: WriteResult = { added: 0, duplicates: 0 };
    // tracks are nested objects, dearer to put than plays: at most half a
    // chunk of them rides in the first plays transaction, the rest go first
    const step = Math.max(1, Math.floor(this.chunkSize / 2));
    for (let i = step; i < tracks.length; i += step)
      await saveTracks(this.db, tracks.slice(i, i + step));
    const first = tracks.slice(0, step);
    if (plays.length === 0) {
      await saveTracks(this.db, first);
      if (finishes !== undefined) await this.endFile(finishes);
      return total;
    }
    for (let i = 0; i < plays.length; i += this.chunkSize) {
      const last = i + this.chunkSize >= plays.length;
      const r = await this.writeChunk(
        plays.slice(i, i + this.chunkSize),
        precision,
        i === 0 ? first : [],
        last ? finishes : undefined,
      );
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
   * Moves plays stored under a name key to a Spotify id of that song, in one
   * transaction over the account's plays. Returns how many of them turned out
   * to be listens already stored under an id.
   */
  async rekey(pairs: readonly [string, string[]][]): Promise<number> {
    const todo = pairs.filter(([, ids]) => ids.length > 0);
    if (todo.length === 0) return 0;
    return this.db.transaction('rw', this.db.playDays, this.db.meta, async () => {
      const days = await PlayDays.read(this.db, this.accountId);
      const byTrack = new Map<string, Play[]>();
      const file = (p: Play): void => {
        const list = byTrack.get(p.trackId);
        if (list) list.push(p);
        else byTrack.set(p.trackId, [p]);
      };
      days.plays().forEach(file);
      let merged = 0;
      for (const [key, ids] of todo) {
        const byKey = byTrack.get(key) ?? [];
        if (byKey.length === 0) continue;
        // only plays of the same song can be the same listen
        const known = ids.flatMap((id) => byTrack.get(id) ?? []);
        // name-keyed plays are account data (to the minute), bar the odd local file
        const m = mergePlays(known, assignIds(byKey, known, ids[0]!), {
          incomingPrecision: 'minute',
        });
        await days.apply([...byKey, ...m.remove], m.add);
        merged += m.duplicates + m.remove.length;
        // keep the lookup in step for the next pairs (two keys may share an id)
        byTrack.delete(key);
        const removed = new Set(m.remove);
        for (const id of ids)
          byTrack.set(
            id,
            (byTrack.get(id) ?? []).filter((p) => !removed.has(p)),
          );
        m.add.forEach(file);
      }
      await days.save();
      return merged;
    });
  }

  private async writeChunk(
    plays: readonly Play[],
    precision: 'second' | 'minute',
    tracks: readonly Track[],
    finishes: string | undefined,
  ): Promise<WriteResult> {
    let from = Infinity;
    let to = -Infinity;
    for (const p of plays) {
      from = Math.min(from, p.playedAt);
      to = Math.max(to, p.playedAt);
    }
    // only the tables this chunk writes: the sync's small writes must not lock tracks for nothing
    const tables = [
      this.db.playDays,
      this.db.meta,
      ...(tracks.length > 0 ? [this.db.tracks] : []),
      ...(finishes !== undefined ? [this.db.imports] : []),
    ];
    return this.db.transaction('rw', tables, async () => {
      await saveTracks(this.db, tracks);
      // every stored play that could be the same listen (whole days around them)
      const days = await PlayDays.read(
        this.db,
        this.accountId,
        from - MATCH_WINDOW_MS,
        to + MATCH_WINDOW_MS,
      );
      const m = mergePlays(days.plays(), plays, { incomingPrecision: precision });
      await days.apply(m.remove, m.add);
      await days.save();
      if (finishes !== undefined) await this.endFile(finishes);
      return { added: m.add.length - m.remove.length, duplicates: m.duplicates + m.remove.length };
    });
  }
}
