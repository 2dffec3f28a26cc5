// Runs off the main thread: unzipping and validating ~300,000 plays, and
// writing them to IndexedDB (each put() serialises its row on the calling
// thread), would otherwise freeze the page for seconds. The page only gets
// counts; cancel terminates this worker, which aborts the transaction in
// hand, and the journal leaves that file `writing` for the next import.
import { TimeMachineDb } from '../db/schema';
import type { PageMessage, WorkerMessage } from './import-protocol';
import { runImport } from './import-job';

// the DOM lib types `self` as a Window; a dedicated worker only needs these two
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<PageMessage>) => void) | null;
  postMessage(m: WorkerMessage): void;
};

scope.onmessage = (e) => {
  const { files, accountId, dbName } = e.data;
  // relaxed: a commit need not wait for the disk flush. Only an OS crash or
  // power cut can then lose the last transactions, in order, so the journal
  // row of their file is still `writing` and the next import finishes it
  const db = new TimeMachineDb(dbName, { chromeTransactionDurability: 'relaxed' });
  runImport(files, { accountId, db, now: () => Date.now(), emit: (m) => scope.postMessage(m) })
    .catch((err: unknown) =>
      scope.postMessage({
        type: 'fatal',
        message: err instanceof Error ? err.message : String(err),
      }),
    )
    .finally(() => db.close());
};
