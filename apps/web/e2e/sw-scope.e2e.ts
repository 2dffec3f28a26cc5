// The service worker is registered at the root for the whole app, whichever
// page is opened first: a person's first open (or a shared link) may be a
// month page, and a worker missing there means no offline start and no
// "update available" check from it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('service worker registration', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a first open on a month page registers /sw.js for the root scope', async () => {
    const failed: string[] = [];
    h.page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await h.page.goto(`${h.baseUrl}/diary/2024-05`);
    const reg = await h.page.evaluate(async () => {
      const r = await navigator.serviceWorker.ready;
      return {
        scope: r.scope,
        script: r.active?.scriptURL ?? null,
        count: (await navigator.serviceWorker.getRegistrations()).length,
      };
    });
    expect(reg).toEqual({ scope: `${h.baseUrl}/`, script: `${h.baseUrl}/sw.js`, count: 1 });
    expect(failed.filter((f) => f.endsWith('sw.js'))).toEqual([]);
  });
});
