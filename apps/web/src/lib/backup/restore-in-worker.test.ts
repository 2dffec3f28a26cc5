// The page's side of a backup import (issue 12): the file goes to a worker,
// which answers with one message; a refusal comes back as the BackupError it
// was, and a file too big never reaches a worker.
import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '../db/test-db';
import type { TimeMachineDb } from '../db/schema';
import { BackupError, MAX_BACKUP_BYTES, exportBackup, restoreAnswer } from './backup';
import { restoreInWorker, type RestoreWorker } from './restore-in-worker';

const T0 = Date.UTC(2026, 2, 1);

/** The worker's code (backup.worker.ts: restoreAnswer, posted back), run in this thread. */
function inThread(db: TimeMachineDb) {
  const created = vi.fn();
  const create = (): RestoreWorker => {
    created();
    const w: RestoreWorker = {
      onmessage: null,
      onerror: null,
      postMessage: (req) =>
        void restoreAnswer(db, req.file).then((answer) =>
          w.onmessage?.({ data: answer } as MessageEvent),
        ),
      terminate: () => undefined,
    };
    return w;
  };
  return { create, created };
}

async function backupText(accountId: string): Promise<string> {
  const db = freshDb();
  await db.accounts.put({
    accountId: 'acc-a',
    displayName: 'Ana',
    imageUrl: null,
    connectedAt: T0,
  });
  await db.snapshots.put({
    id: 's1',
    accountId: 'acc-a',
    takenAt: T0,
    range: 'short_term',
    trackIds: [],
  });
  const file = await exportBackup(db, 'acc-a', T0);
  return JSON.stringify({
    ...file,
    account: { ...file.account, accountId },
    snapshots: file.snapshots.map((s) => ({ ...s, accountId })),
  });
}

describe('issue 12: the page hands a backup to a worker', () => {
  it('imports through the worker and answers with the summary', async () => {
    const db = freshDb();
    const summary = await restoreInWorker(
      new Blob([await backupText('acc-a')]),
      db.name,
      inThread(db).create,
    );
    expect(summary).toEqual({
      accountId: 'acc-a',
      added: { snapshots: 1, plays: 0, tracks: 0, outbox: 0 },
    });
    expect(await db.snapshots.count()).toBe(1);
  });

  it('a refused file comes back as the same BackupError, and nothing is written', async () => {
    const db = freshDb();
    const err = await restoreInWorker(
      new Blob([await backupText('device')]),
      db.name,
      inThread(db).create,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackupError);
    expect(err).toMatchObject({ code: 'MALFORMED', message: /"device" is a name this app keeps/ });
    expect(await db.accounts.count()).toBe(0);
  });

  it('a file too big is refused before a worker starts', async () => {
    const db = freshDb();
    const { create, created } = inThread(db);
    const huge = { size: MAX_BACKUP_BYTES + 1 } as Blob;
    await expect(restoreInWorker(huge, db.name, create)).rejects.toMatchObject({
      code: 'TOO_BIG',
      message: /^This file is over 512 MB; a backup of this app is at most 512 MB/,
    });
    expect(created).not.toHaveBeenCalled();
  });
});
