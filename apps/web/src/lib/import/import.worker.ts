// Runs off the main thread: unzipping and validating ~300,000 plays would
// otherwise freeze the page for seconds. Reads known tracks from IndexedDB
// (to join name keys); the page does every write.
import { TimeMachineDb } from '../db/schema';
import type { ImportStart, WorkerMessage } from './import-protocol';
import { readImport } from './import-reader';

// the DOM lib types `self` as a Window; a dedicated worker only needs these two
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ImportStart>) => void) | null;
  postMessage(m: WorkerMessage): void;
};

scope.onmessage = (e) => {
  const { files, accountId, dbName } = e.data;
  const db = new TimeMachineDb(dbName);
  readImport(files, { accountId, emit: (m) => scope.postMessage(m), storedTracks: () => db.tracks.toArray() })
    .catch((err: unknown) => scope.postMessage({ type: 'fatal', message: err instanceof Error ? err.message : String(err) }))
    .finally(() => db.close());
};
