// The page's side of a backup (issue 12), both ways: an import's file goes to
// a worker, which answers with one message; a refusal comes back as the
// BackupError it was, and a file too big never reaches a worker. An export is
// built by the worker, which hands back the file.
import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '../db/test-db';
import type { TimeMachineDb } from '../db/schema';
import {
  BackupError,
  MAX_BACKUP_BYTES,
  exportAnswer,
  exportBackup,
  parseBackup,
  restoreAnswer,
} from './backup';
import { exportInWorker, restoreInWorker, type BackupWorker } from './backup-in-worker';

const T0 = Date.UTC(2026, 2, 1);

/** The worker's code (backup.worker.ts: restoreAnswer or exportAnswer, posted back), run in this thread. */
function inThread(db: TimeMachineDb) {
  const created = vi.fn();
  const create = (): BackupWorker => {
    created();
    const w: BackupWorker = {
      onmessage: null,
      onerror: null,
      postMessage: (req) =>
        void (
          req.type === 'restore'
            ? restoreAnswer(db, req.file)
            : exportAnswer(db, req.accountId, req.now)
        ).then((answer) => w.onmessage?.({ data: answer } as MessageEvent)),
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

describe('issue 12: a backup is built in a worker', () => {
  it('hands back the file, its name and its counts', async () => {
    const db = freshDb();
    await restoreInWorker(new Blob([await backupText('acc-a')]), db.name, inThread(db).create);
    const out = await exportInWorker(db.name, 'acc-a', T0, inThread(db).create);
    expect(out).toMatchObject({ snapshots: 1, plays: 0 });
    expect(out.name).toBe('music-time-machine-acc-a-2026-03-01.json');
    expect(out.file.type).toBe('application/json');
    const file = parseBackup(await out.file.text());
    expect(file.account.accountId).toBe('acc-a');
    expect(file.snapshots.map((s) => s.id)).toEqual(['s1']);
  });

  it('an account with no data here comes back as a BackupError', async () => {
    const db = freshDb();
    await expect(exportInWorker(db.name, 'nobody', T0, inThread(db).create)).rejects.toMatchObject({
      code: 'UNKNOWN_ACCOUNT',
    });
  });
});
