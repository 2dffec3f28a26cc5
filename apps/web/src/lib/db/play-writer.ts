// The one write path for plays, whatever brought them: the sync's
// recently-played capture (50 at a time, on the page's main thread), the
// privacy-export import (batches of up to 20,000, in its worker) and, later,
// background capture and other devices. Writing is merge-aware and
// idempotent: plays are unique on (end time, track), and mergePlays (see
// @mtm/core history-import-merge.ts) drops every play already stored and
// replaces recently-played captures of the same listen, because played_at
// carries milliseconds while the export's ts has seconds (or minutes) and a
// listen must never be counted twice. An import's per-file journal lives
// beside this in import-journal.ts; a batch that finishes a file marks it
// there in the same transaction as its last plays.
import {
  SAME_LISTEN_TOLERANCE_MS,
  assignIds,
  mergePlays,
  receiveBatch,
  type MergeResult,
  type Play,
  type Track,
} from '@mtm/core';
import { PlayDays } from './plays';
import type { TimeMachineDb } from './schema';
import { saveTracks, type TrackSave } from './tracks';
import { markFileDone } from './import-journal';

/** How precisely a source dates the end of a play: the account-data export only to the minute. */
export type PlayPrecision = 'second' | 'minute';

/** Every stored play that could be the same listen as a play in [from, to]. */
const MATCH_WINDOW_MS = 60_000 + SAME_LISTEN_TOLERANCE_MS;

export interface WriteResult {
  added: number;
  /** Already stored, or the same listen as a stored play. */
  duplicates: number;
}

export class PlayWriter {
  constructor(
    private readonly db: TimeMachineDb,
    private readonly accountId: string,
    private readonly now: () => number,
    // plays per transaction: IndexedDB's put() serialises each row on the
    // calling thread, so the sync on the page's main thread writes at most
    // 500 plays' days at a time; the import worker passes its batch size
    private readonly chunkSize = 500,
    // what the source's track names are worth (see TrackSave): the import fills
    private readonly trackSave: TrackSave = 'update',
  ) {}

  /**
   * `finishes`: the journal id of an imported file this batch ends, marked
   * `done` in the transaction of its last plays: the mark can never be
   * committed without them, and no separate transaction is spent on it.
   * `covers`: the time range the whole file spans, kept with the mark.
   */
  async write(
    plays: readonly Play[],
    tracks: readonly Track[],
    precision: PlayPrecision,
    finishes?: string,
    covers?: { from: number; to: number },
  ): Promise<WriteResult> {
    const total: WriteResult = { added: 0, duplicates: 0 };
    // tracks are nested objects, dearer to put than plays: at most half a
    // chunk of them rides in the first plays transaction, the rest go first
    const step = Math.max(1, Math.floor(this.chunkSize / 2));
    for (let i = step; i < tracks.length; i += step)
      await saveTracks(this.db, tracks.slice(i, i + step), this.trackSave);
    const first = tracks.slice(0, step);
    if (plays.length === 0) {
      await saveTracks(this.db, first, this.trackSave);
      if (finishes !== undefined) await markFileDone(this.db, finishes, this.now(), covers);
      return total;
    }
    for (let i = 0; i < plays.length; i += this.chunkSize) {
      const last = i + this.chunkSize >= plays.length;
      const chunk = plays.slice(i, i + this.chunkSize);
      const r = await this.writeChunk(
        chunk,
        (held) => mergePlays(held, chunk, { incomingPrecision: precision }),
        i === 0 ? first : [],
        last ? finishes : undefined,
        covers,
      );
      total.added += r.added;
      total.duplicates += r.duplicates;
    }
    return total;
  }

  /**
   * Plays another device sent (lib/devices), in one transaction whatever
   * their number, merged by core's receiveBatch: `exact` is the sender's word
   * on its whole-minute plays, and the plays held here add their own.
   */
  async receive(plays: readonly Play[], exact: ReadonlySet<string>): Promise<WriteResult> {
    if (plays.length === 0) return { added: 0, duplicates: 0 };
    return this.writeChunk(
      plays,
      (held) => {
        const { add, remove } = receiveBatch(held, plays, exact);
        return { add, remove, duplicates: plays.length - add.length };
      },
      [],
      undefined,
    );
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
    merge: (held: Play[]) => MergeResult,
    tracks: readonly Track[],
    finishes: string | undefined,
    covers?: { from: number; to: number },
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
      await saveTracks(this.db, tracks, this.trackSave);
      // every stored play that could be the same listen (whole days around them)
      const days = await PlayDays.read(
        this.db,
        this.accountId,
        from - MATCH_WINDOW_MS,
        to + MATCH_WINDOW_MS,
      );
      const m = merge(days.plays());
      await days.apply(m.remove, m.add);
      await days.save();
      if (finishes !== undefined) await markFileDone(this.db, finishes, this.now(), covers);
      return { added: m.add.length - m.remove.length, duplicates: m.duplicates + m.remove.length };
    });
  }
}
