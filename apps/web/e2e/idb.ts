// Reading the app's IndexedDB from a test, for what the UI does not show.
import type { Page } from 'playwright-core';

/** What an import would have left: journal rows, and plays that came from an export. */
export function importedRows(page: Page): Promise<{ journal: number; exportPlays: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, ko) => {
      const r = indexedDB.open('music-time-machine');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => ko(r.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((ok) => {
        const r = db.transaction(store).objectStore(store).getAll();
        r.onsuccess = () => ok(r.result as T[]);
      });
    const journal = (await all('imports')).length;
    const days = await all<{ source: string[] }>('playDays');
    db.close();
    return {
      journal,
      exportPlays: days.reduce((n, d) => n + d.source.filter((s) => s === 'export').length, 0),
    };
  });
}
