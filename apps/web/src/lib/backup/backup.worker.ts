// Reads, checks and merges a backup off the main thread: a ten-year diary's
// file is ~50 MB, and JSON.parse plus the schema check alone take ~2 s (more
// on a phone), which on the page would freeze it. The merge runs here too, so
// the parsed rows are never copied back to the page, and it writes through
// lib/db like every other write. The page gets one message: restoreAnswer's.
import { TimeMachineDb } from '../db/schema';
import { restoreAnswer, type RestoreAnswer } from './backup';
import type { RestoreRequest } from './restore-in-worker';

// the DOM lib types `self` as a Window; a dedicated worker only needs these two
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<RestoreRequest>) => void) | null;
  postMessage(m: RestoreAnswer): void;
};

scope.onmessage = (e) => {
  const { file, dbName } = e.data;
  const db = new TimeMachineDb(dbName);
  void restoreAnswer(db, file)
    .then((answer) => scope.postMessage(answer))
    .finally(() => db.close());
};
