// Runs off the main thread: unzipping and validating ~300,000 plays would
// otherwise freeze the page for seconds. Reads known tracks from IndexedDB
// (to join name keys); the page does every write.
import { TimeMachineDb } from '../db/schema';
import type { PageMessage, WorkerMessage } from './import-protocol';
import { readImport } from './import-reader';
import { BatchCredit } from './batch-credit';

// the DOM lib types `self` as a Window; a dedicated worker only needs these two
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<PageMessage>) => void) | null;
  postMessage(m: WorkerMessage): void;
};

const credit = new BatchCredit(2);

scope.onmessage = (e) => {
  if (e.data.type === 'ack') {
    credit.give();
    return;
  }
  const { files, accountId, dbName } = e.data;
  const db = new TimeMachineDb(dbName);
  readImport(files, { accountId, ready: () => credit.take(), emit: (m) => scope.postMessage(m), storedTracks: () => db.tracks.toArray() })
    .catch((err: unknown) => scope.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }))
    .finally(() => db.close());
};
