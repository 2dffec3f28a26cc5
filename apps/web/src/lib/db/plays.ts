// Plays, stored one row per account and UTC day (PlayDayRow, schema v3).
// Every read and write of plays goes through this file: the rest of the app
// sees plain Play objects, oldest first, never the day rows. Every write also
// gives the account's plays a new revision in the same transaction, so caches
// derived from plays (the diary timeline) notice any change.
import type { Play } from '@mtm/core';
import { PLAYS_REVISION, accountKey, writeMeta } from './meta';
import { utcDay, type PlayDayRow, type TimeMachineDb } from './schema';

/**
 * Day rows per read: about a year, ~35,000 plays of a heavy listener, so that
 * reading ten years on the page's main thread is ten short tasks, not one
 * long one (deserialising a read happens on the thread that asked).
 */
const PAGE_DAYS = 366;

/** The order and identity of stored plays: end time, then track id (code-unit order, as IndexedDB sorts keys). */
const compareKeys = (a: Play, b: Play): number =>
  a.playedAt - b.playedAt || (a.trackId < b.trackId ? -1 : a.trackId > b.trackId ? 1 : 0);
const keyOf = (p: Pick<Play, 'playedAt' | 'trackId'>): string => `${p.playedAt}\u0000${p.trackId}`;

function unpack(row: PlayDayRow, out: Play[]): void {
  const { accountId, playedAt, trackId, msPlayed, source } = row;
  for (let i = 0; i < playedAt.length; i++)
    out.push({
      accountId,
      playedAt: playedAt[i]!,
      trackId: trackId[i]!,
      msPlayed: msPlayed[i]!,
      source: source[i]!,
    });
}

function pack(accountId: string, day: number, plays: Iterable<Play>): PlayDayRow {
  const row: PlayDayRow = { accountId, day, playedAt: [], trackId: [], msPlayed: [], source: [] };
  for (const p of [...plays].sort(compareKeys)) {
    row.playedAt.push(p.playedAt);
    row.trackId.push(p.trackId);
    row.msPlayed.push(p.msPlayed);
    row.source.push(p.source);
  }
  return row;
}

/** The account's day rows from `fromDay` to `toDay` (both included), oldest first, a page at a time. */
async function eachDay(
  db: TimeMachineDb,
  accountId: string,
  fromDay: number,
  toDay: number,
  visit: (row: PlayDayRow) => void,
): Promise<void> {
  for (let from = fromDay; ;) {
    const rows = await db.playDays
      .where('[accountId+day]')
      .between([accountId, from], [accountId, toDay], true, true)
      .limit(PAGE_DAYS)
      .toArray();
    for (const row of rows) visit(row);
    if (rows.length < PAGE_DAYS) return;
    from = rows[rows.length - 1]!.day + 1;
  }
}

/** Plays that ended in [from, to), oldest first. */
export async function playsBetween(
  db: TimeMachineDb,
  accountId: string,
  from: number,
  to: number,
): Promise<Play[]> {
  const plays: Play[] = [];
  await eachDay(db, accountId, utcDay(from), utcDay(to), (row) => unpack(row, plays));
  if (from === -Infinity && to === Infinity) return plays;
  // the first and last day rows may reach outside [from, to)
  return plays.filter((p) => p.playedAt >= from && p.playedAt < to);
}

/**
 * End times of the streams (plays of at least `minMs`) that ended in
 * [from, to), oldest first, read straight off the day rows' columns: the gap
 * estimate (issue 14) needs eight weeks of them inside the sync's write
 * transaction, and making a Play object of each was most of its cost.
 */
export async function streamTimesBetween(
  db: TimeMachineDb,
  accountId: string,
  from: number,
  to: number,
  minMs: number,
): Promise<number[]> {
  const out: number[] = [];
  await eachDay(db, accountId, utcDay(from), utcDay(to), (row) => {
    for (let i = 0; i < row.playedAt.length; i++) {
      const t = row.playedAt[i]!;
      if (t >= from && t < to && row.msPlayed[i]! >= minMs) out.push(t);
    }
  });
  return out;
}

export async function allPlays(db: TimeMachineDb, accountId: string): Promise<Play[]> {
  return playsBetween(db, accountId, -Infinity, Infinity);
}

/** Every track id (or name key) the account's plays mention, reading no Play objects. */
export async function playedTrackIds(db: TimeMachineDb, accountId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  await eachDay(db, accountId, -Infinity, Infinity, (row) => {
    for (const id of row.trackId) ids.add(id);
  });
  return ids;
}

/** The first and last moments with a play, reading two day rows. */
export async function playBounds(
  db: TimeMachineDb,
  accountId: string,
): Promise<{ first: number; last: number } | null> {
  const days = () =>
    db.playDays
      .where('[accountId+day]')
      .between([accountId, -Infinity], [accountId, Infinity], true, true);
  const [first, last] = [await days().first(), await days().last()];
  // a stored day row is never empty (PlayDays.save deletes emptied days)
  return first && last
    ? { first: first.playedAt[0]!, last: last.playedAt[last.playedAt.length - 1]! }
    : null;
}

/**
 * Removes every play of one account, renewing no revision: its one caller
 * (deleteAccountData) removes the account's meta, caches included, in the
 * same transaction.
 */
export async function deleteAllPlays(db: TimeMachineDb, accountId: string): Promise<void> {
  await db.playDays
    .where('[accountId+day]')
    .between([accountId, -Infinity], [accountId, Infinity], true, true)
    .delete();
}

/**
 * Some days of one account's plays, read, changed in memory and written back
 * by `save()`. Use it inside one read-write transaction over `playDays` and
 * `meta`, so the read, the change and the write are one step.
 */
export class PlayDays {
  /** day -> play key -> play */
  readonly #days = new Map<number, Map<string, Play>>();
  readonly #changed = new Set<number>();

  private constructor(
    private readonly db: TimeMachineDb,
    readonly accountId: string,
  ) {}

  /** Nothing read yet: apply() reads the days it touches. */
  static none(db: TimeMachineDb, accountId: string): PlayDays {
    return new PlayDays(db, accountId);
  }

  /** Reads the whole days that hold [from, to] (all of them by default). */
  static async read(
    db: TimeMachineDb,
    accountId: string,
    from = -Infinity,
    to = Infinity,
  ): Promise<PlayDays> {
    const days = new PlayDays(db, accountId);
    await eachDay(db, accountId, utcDay(from), utcDay(to), (row) => days.#load(row.day, row));
    return days;
  }

  /** Every play of the days read so far (with changes), oldest first. */
  plays(): Play[] {
    const out: Play[] = [];
    for (const day of [...this.#days.keys()].sort((a, b) => a - b)) {
      for (const p of [...this.#days.get(day)!.values()].sort(compareKeys)) out.push(p);
    }
    return out;
  }

  /** Whether a play with this end time and track is stored (its day must have been read). */
  has(play: Pick<Play, 'playedAt' | 'trackId'>): boolean {
    return this.#days.get(utcDay(play.playedAt))?.has(keyOf(play)) ?? false;
  }

  /** Reads the days these plays fall on, those not read yet. */
  async readDaysOf(plays: readonly Pick<Play, 'playedAt'>[]): Promise<void> {
    const missing = [...new Set(plays.map((p) => utcDay(p.playedAt)))].filter(
      (day) => !this.#days.has(day),
    );
    if (missing.length === 0) return;
    const rows = await this.db.playDays.bulkGet(
      missing.map((day) => [this.accountId, day] as [string, number]),
    );
    missing.forEach((day, i) => this.#load(day, rows[i]));
  }

  /**
   * Removes `remove` (by end time and track), then stores `add`, replacing any
   * play with the same end time and track: a replaced play may share its key
   * with its replacement. Days not read yet are read first. Returns how many
   * of `add` were not stored before.
   */
  async apply(remove: readonly Play[], add: readonly Play[]): Promise<number> {
    for (const p of [...remove, ...add]) {
      if (p.accountId !== this.accountId)
        throw new Error(
          `A play of account ${p.accountId} cannot be changed among ${this.accountId}'s plays.`,
        );
    }
    await this.readDaysOf(remove);
    await this.readDaysOf(add);
    for (const p of remove) {
      const day = utcDay(p.playedAt);
      if (this.#days.get(day)!.delete(keyOf(p))) this.#changed.add(day);
    }
    let fresh = 0;
    for (const p of add) {
      const day = utcDay(p.playedAt);
      const plays = this.#days.get(day)!;
      const key = keyOf(p);
      if (!plays.has(key)) fresh++;
      plays.set(key, {
        accountId: p.accountId,
        playedAt: p.playedAt,
        trackId: p.trackId,
        msPlayed: p.msPlayed,
        source: p.source,
      });
      this.#changed.add(day);
    }
    return fresh;
  }

  /** Writes the changed days (deleting emptied ones) and gives the plays a new revision. */
  async save(): Promise<void> {
    if (this.#changed.size === 0) return;
    const emptied: [string, number][] = [];
    const rows: PlayDayRow[] = [];
    for (const day of this.#changed) {
      const plays = this.#days.get(day)!;
      if (plays.size === 0) emptied.push([this.accountId, day]);
      else rows.push(pack(this.accountId, day, plays.values()));
    }
    if (emptied.length > 0) await this.db.playDays.bulkDelete(emptied);
    await this.db.playDays.bulkPut(rows);
    await writeMeta(this.db, accountKey(this.accountId, PLAYS_REVISION), crypto.randomUUID());
    this.#changed.clear();
  }

  #load(day: number, row: PlayDayRow | undefined): void {
    const plays = new Map<string, Play>();
    if (row) {
      const list: Play[] = [];
      unpack(row, list);
      for (const p of list) plays.set(keyOf(p), p);
    }
    this.#days.set(day, plays);
  }
}

/**
 * Adds plays of any accounts, in one transaction; a play with the end time
 * and track of a stored one replaces it, so re-syncs and re-imports never
 * double-count. Returns how many were new.
 */
export async function addPlays(db: TimeMachineDb, plays: readonly Play[]): Promise<number> {
  if (plays.length === 0) return 0;
  const byAccount = new Map<string, Play[]>();
  for (const p of plays) {
    const list = byAccount.get(p.accountId);
    if (list) list.push(p);
    else byAccount.set(p.accountId, [p]);
  }
  return db.transaction('rw', db.playDays, db.meta, async () => {
    let fresh = 0;
    for (const [accountId, list] of byAccount) {
      const days = PlayDays.none(db, accountId);
      fresh += await days.apply([], list);
      await days.save();
    }
    return fresh;
  });
}
