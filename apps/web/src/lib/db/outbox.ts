// The outbox table: playlists waiting to be pushed, and the history of those
// that were. The state machine that moves an entry lives in lib/outbox; every
// write it makes goes through here.
import type { OutboxRow, TimeMachineDb } from './schema';

export async function addOutboxEntry(db: TimeMachineDb, entry: OutboxRow): Promise<void> {
  await db.outbox.add(entry);
}

export async function getOutboxEntry(
  db: TimeMachineDb,
  id: string,
): Promise<OutboxRow | undefined> {
  return db.outbox.get(id);
}

export async function saveOutboxEntry(db: TimeMachineDb, entry: OutboxRow): Promise<void> {
  await db.outbox.put(entry);
}

/** Only the progress count: a whole-row put could undo a state saved meanwhile. */
export async function saveOutboxProgress(
  db: TimeMachineDb,
  id: string,
  addedCount: number,
  now: number,
): Promise<void> {
  await db.outbox.update(id, { addedCount, updatedAt: now });
}

/**
 * Reads an entry and writes what `change` makes of it, in one transaction so
 * a pass running in another tab cannot slip in between. `change` returns
 * null to leave the entry as it is.
 */
export async function changeOutboxEntry(
  db: TimeMachineDb,
  id: string,
  change: (e: OutboxRow) => OutboxRow | null,
): Promise<void> {
  await db.transaction('rw', db.outbox, async () => {
    const e = await db.outbox.get(id);
    const next = e ? change(e) : null;
    if (next) await db.outbox.put(next);
  });
}

export async function deleteOutboxEntry(db: TimeMachineDb, id: string): Promise<void> {
  await db.outbox.delete(id);
}

/** One account's entries, oldest first. */
export async function outboxEntries(db: TimeMachineDb, accountId: string): Promise<OutboxRow[]> {
  return db.outbox.where('accountId').equals(accountId).sortBy('createdAt');
}
