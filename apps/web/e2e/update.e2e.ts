// A new deployment shows "A new version of the app is available" and updates
// only when asked. The server serves a private copy of the build, whose sw.js
// the test changes the way a deployment would.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startHarness, type Harness } from './harness';

describe('update available', () => {
  let h: Harness;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtm-build-'));
    await cp(join(REPO_ROOT, 'apps', 'web', 'build'), dir, { recursive: true });
    h = await startHarness({ env: { WEB_BUILD_DIR: dir } });
  });
  afterAll(async () => {
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prompts when a new service worker is waiting, and reloads into it on Update', async () => {
    await h.page.goto(`${h.baseUrl}/diary`);
    const first = await h.page.evaluate(
      async () => (await navigator.serviceWorker.ready).active?.scriptURL,
    );
    expect(first).toBe(`${h.baseUrl}/sw.js`);
    // a second visit: the page is now controlled by the installed worker
    await h.page.reload();
    expect(await h.page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    expect(await h.page.getByText('A new version of the app is available.').count()).toBe(0);

    const sw = join(dir, 'sw.js');
    await writeFile(sw, `${await readFile(sw, 'utf8')}\n// the next deployment\n`);
    // a deployment brings its precompressed copies too (scripts/precompress.mjs);
    // the server prefers them, so the old ones must not outlive the new sw.js
    await rm(`${sw}.br`, { force: true });
    await rm(`${sw}.gz`, { force: true });
    await h.page.evaluate(async () => {
      await (await navigator.serviceWorker.getRegistration())?.update();
    });
    await h.page.getByText('A new version of the app is available.').waitFor();
    // nothing changes under the reader until they agree
    expect(
      await h.page.evaluate(
        async () => !!(await navigator.serviceWorker.getRegistration())?.waiting,
      ),
    ).toBe(true);

    await Promise.all([
      h.page.waitForEvent('load'),
      h.page.getByRole('button', { name: 'Update' }).click(),
    ]);
    await h.page
      .getByRole('heading', { name: /Your (musical )?diary/ })
      .first()
      .waitFor();
    expect(await h.page.getByText('A new version of the app is available.').count()).toBe(0);
    const reg = await h.page.evaluate(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return { waiting: !!r?.waiting, controlled: !!navigator.serviceWorker.controller };
    });
    expect(reg).toEqual({ waiting: false, controlled: true });
  });
});
