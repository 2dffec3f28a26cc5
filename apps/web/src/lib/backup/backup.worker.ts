// Reads, checks and merges a backup off the main thread, and builds one: a
// ten-year diary's file is ~50 MB, and JSON.parse plus the schema check alone
// take ~2 s (more on a phone), JSON.stringify about half that; on the page
// either would freeze it. The merge runs here too, so the parsed rows are
// never copied back to the page, and it writes through lib/db like every
// other write. The page gets one message: restoreAnswer's or exportAnswer's.
import { TimeMachineDb } from '../db/schema';
import { exportAnswer, restoreAnswer, type ExportAnswer, type RestoreAnswer } from './backup';
import type { BackupRequest } from './backup-in-worker';

// the DOM lib types `self` as a Window; a dedicated worker only needs these two
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<BackupRequest>) => void) | null;
  postMessage(m: RestoreAnswer | ExportAnswer): void;
};

scope.onmessage = (e) => {
  const request = e.data;
  const db = new TimeMachineDb(request.dbName);
  const answer =
    request.type === 'restore'
      ? restoreAnswer(db, request.file)
      : exportAnswer(db, request.accountId, request.now);
  void answer.then((a) => scope.postMessage(a)).finally(() => db.close());
};
