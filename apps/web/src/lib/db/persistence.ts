// Browsers may evict a site's IndexedDB under storage pressure unless the
// site asked for persistent storage. For a diary meant to last years that
// would be the worst possible loss, so the app asks once it holds data.

export type Persistence = 'persistent' | 'best-effort' | 'unknown';

export async function askToPersist(
  storage: StorageManager | undefined = globalThis.navigator?.storage,
): Promise<Persistence> {
  if (!storage?.persist || !storage.persisted) return 'unknown';
  try {
    if (await storage.persisted()) return 'persistent';
    return (await storage.persist()) ? 'persistent' : 'best-effort';
  } catch {
    return 'unknown';
  }
}
