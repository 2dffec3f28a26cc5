import Dexie from 'dexie';
import { deleteSyncState } from './sync-state';
import type { AccountRow, TimeMachineDb } from './schema';
import { deviceKey, readMeta, writeMeta, deleteMeta } from './meta';
import { deleteAllPlays } from './plays';

const CURRENT = deviceKey('currentAccount');

export async function listAccounts(db: TimeMachineDb): Promise<AccountRow[]> {
  return db.accounts.orderBy('accountId').toArray();
}

export async function getAccount(
  db: TimeMachineDb,
  accountId: string,
): Promise<AccountRow | undefined> {
  return db.accounts.get(accountId);
}

/**
 * Records (or refreshes) a profile, keeping when it was first connected. The
 * diary shown switches to it only when asked (just connected) or when none is
 * shown yet: a routine sync must not undo the person's choice in Settings.
 */
export async function rememberAccount(
  db: TimeMachineDb,
  profile: Omit<AccountRow, 'connectedAt'>,
  now: number,
  opts: { makeCurrent?: boolean } = {},
): Promise<AccountRow> {
  return db.transaction('rw', db.accounts, db.meta, async () => {
    const known = await db.accounts.get(profile.accountId);
    const row: AccountRow = { ...profile, connectedAt: known?.connectedAt ?? now };
    await db.accounts.put(row);
    const current = await readMeta<string>(db, CURRENT);
    if (opts.makeCurrent || !current || !(await db.accounts.get(current)))
      await writeMeta(db, CURRENT, profile.accountId);
    return row;
  });
}

export async function currentAccountId(db: TimeMachineDb): Promise<string | null> {
  const id = await readMeta<string>(db, CURRENT);
  if (id && (await db.accounts.get(id))) return id;
  return null;
}

export async function switchAccount(db: TimeMachineDb, accountId: string | null): Promise<void> {
  if (accountId === null) return deleteMeta(db, CURRENT);
  if (!(await db.accounts.get(accountId))) throw new Error(`unknown account ${accountId}`);
  await writeMeta(db, CURRENT, accountId);
}

/**
 * Removes every row that belongs to one account, in one transaction. Tracks,
 * artists and audio features are public catalogue facts shared by all
 * accounts on the device, so they stay.
 */
export async function deleteAccountData(db: TimeMachineDb, accountId: string): Promise<void> {
  await db.transaction(
    'rw',
    [db.accounts, db.snapshots, db.playDays, db.outbox, db.imports, db.meta],
    async () => {
      await db.snapshots
        .where('[accountId+takenAt]')
        .between([accountId, Dexie.minKey], [accountId, Dexie.maxKey], true, true)
        .delete();
      await deleteAllPlays(db, accountId);
      await db.outbox.where('accountId').equals(accountId).delete();
      await db.imports.where('accountId').equals(accountId).delete();
      await db.meta.where('key').startsWith(`${accountId}:`).delete();
      // the device sync's cursor and keys (a device-scoped meta row): a diary
      // made again later must not resume an old cursor or upload over the relay
      await deleteSyncState(db, accountId);
      await db.accounts.delete(accountId);
      if ((await readMeta<string>(db, CURRENT)) === accountId) await deleteMeta(db, CURRENT);
    },
  );
}
