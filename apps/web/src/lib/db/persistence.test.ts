import { describe, expect, it, vi } from 'vitest';
import { askToPersist } from './persistence';

describe('askToPersist', () => {
  it('asks only when storage is not yet persistent', async () => {
    const persist = vi.fn(async () => true);
    expect(
      await askToPersist({ persisted: async () => true, persist } as unknown as StorageManager),
    ).toBe('persistent');
    expect(persist).not.toHaveBeenCalled();
    expect(
      await askToPersist({ persisted: async () => false, persist } as unknown as StorageManager),
    ).toBe('persistent');
    expect(persist).toHaveBeenCalledTimes(1);
  });
  it('reports a refusal and a browser without the API', async () => {
    expect(
      await askToPersist({
        persisted: async () => false,
        persist: async () => false,
      } as unknown as StorageManager),
    ).toBe('best-effort');
    expect(await askToPersist(undefined)).toBe('unknown');
  });
});
