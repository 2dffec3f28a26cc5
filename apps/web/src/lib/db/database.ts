// The one database handle the app uses. Pages never import this: they go
// through stores, which go through the repositories beside this file.
import { TimeMachineDb } from './schema';

let current: TimeMachineDb | null = null;

export function database(): TimeMachineDb {
  current ??= new TimeMachineDb();
  return current;
}

/** Tests (and a future multi-profile mode) swap the handle. */
export function useDatabase(db: TimeMachineDb): void {
  current = db;
}
