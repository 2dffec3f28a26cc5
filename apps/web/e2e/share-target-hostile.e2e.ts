// Issue 12, "Hostile pages", in Chromium: the share target (POST
// /import/share, answered by the app's service worker) used to take files
// from any web page and import them at once. A page served from another
// origin (a second local server: another port is another origin) is refused
// with a page in words and nothing cached; a page that hides its origin gets
// as far as a question; and even a real share imports only when the person
// presses Import, after seeing each file, its size and the diary it goes to.
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { bytesWords } from '../src/lib/import/import-words';
import { freePort, startHarness, type Harness } from './harness';
import { importedRows } from './idb';

const SHARE_CACHE = 'mtm-share-target';

/** A page with the share sheet's form: multipart POST of `history` to `action`. */
const formPage = (action: string, head = ''): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A page</title>${head}</head>
<body><form method="post" action="${action}" enctype="multipart/form-data">
<input type="file" name="history" id="share-file"></form></body></html>`;

const parked = (page: Page): Promise<number> =>
  page.evaluate(async (name) => {
    if (!(await caches.has(name))) return 0;
    return (await (await caches.open(name)).keys()).length;
  }, SHARE_CACHE);

describe('issue 12: the share target and pages of other origins', () => {
  let h: Harness;
  let other: Server;
  let otherUrl: string;
  let zip: Buffer;
  let diaryName: string;

  beforeAll(async () => {
    zip = Buffer.from(
      zipExport(generateExport({ from: Date.UTC(2023, 0, 1), to: Date.UTC(2023, 3, 1) })),
    );
    h = await startHarness({ emulatorStart: '2024-06-15T12:00:00Z' });
    await h.connect();
    diaryName = await h.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, ko) => {
        const r = indexedDB.open('music-time-machine');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => ko(r.error);
      });
      const rows = await new Promise<{ displayName: string | null }[]>((ok) => {
        const r = db.transaction('accounts').objectStore('accounts').getAll();
        r.onsuccess = () => ok(r.result as { displayName: string | null }[]);
      });
      db.close();
      return rows[0]?.displayName ?? '';
    });
    const action = `${h.baseUrl}/import/share`;
    other = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        req.url === '/hidden'
          ? formPage(action, '<meta name="referrer" content="no-referrer">')
          : formPage(action),
      );
    });
    const port = await freePort();
    await new Promise<void>((ok) => other.listen(port, '127.0.0.1', ok));
    otherUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((ok) => other?.close(ok));
  });

  /** Submits the form on the page open now with the zip in it; resolves with the answer's status. */
  async function submitZip(): Promise<number | undefined> {
    await h.page
      .locator('#share-file')
      .setInputFiles({ name: 'my_spotify_data.zip', mimeType: 'application/zip', buffer: zip });
    const [response] = await Promise.all([
      h.page.waitForNavigation({ url: (u) => u.origin === h.baseUrl }),
      h.page.evaluate(() => document.querySelector('form')!.submit()),
    ]);
    return response?.status();
  }

  it('issue 12: a page of another origin that posts a file to /import/share is refused in words; nothing is cached or imported', async () => {
    await h.page.goto(`${otherUrl}/`);
    const status = await submitZip();
    expect(status).toBe(403);
    expect(new URL(h.page.url()).pathname).toBe('/import/share');
    await h.page.getByRole('heading', { name: 'These files were not accepted' }).waitFor();
    expect(await h.page.locator('body').textContent()).toContain(
      'Another website tried to send files to Music Time Machine. Nothing was saved and nothing was imported.',
    );

    await h.page.goto(`${h.baseUrl}/import?shared=1`);
    await h.page.getByRole('heading', { name: 'Import your Spotify history' }).waitFor();
    expect(await parked(h.page)).toBe(0);
    expect(await h.page.getByTestId('share-confirm').count()).toBe(0);
    expect(await h.page.getByTestId('import-status').count()).toBe(0);
    expect(await importedRows(h.page)).toEqual({ journal: 0, exportPlays: 0 });
  });

  it('issue 12: a page that hides its origin only gets as far as the question; Discard removes its file unread', async () => {
    await h.page.goto(`${otherUrl}/hidden`);
    await submitZip();
    await h.page.waitForURL(`${h.baseUrl}/import?shared=1`);
    const confirm = h.page.getByTestId('share-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('share-files').textContent()).toContain('my_spotify_data.zip');
    expect(await h.page.getByTestId('import-status').count()).toBe(0);
    expect(await importedRows(h.page)).toEqual({ journal: 0, exportPlays: 0 });

    await confirm.getByRole('button', { name: 'Discard' }).click();
    await h.page.getByTestId('share-discarded').waitFor();
    expect(await parked(h.page)).toBe(0);
    expect(await h.page.getByTestId('import-status').count()).toBe(0);
    expect(await importedRows(h.page)).toEqual({ journal: 0, exportPlays: 0 });
    // and it does not come back
    await h.page.reload();
    await h.page.getByRole('heading', { name: 'Import your Spotify history' }).waitFor();
    expect(await h.page.getByTestId('share-confirm').count()).toBe(0);
  });

  it('issue 12: a share from the app itself names the file, its size and the diary, and imports only when Import is pressed', async () => {
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // the app's own page posts the form, the way a same-origin share does
    await h.page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'POST';
      form.action = '/import/share';
      form.enctype = 'multipart/form-data';
      const input = document.createElement('input');
      input.type = 'file';
      input.name = 'history';
      input.id = 'share-file';
      form.append(input);
      document.body.append(form);
    });
    await submitZip();
    await h.page.waitForURL(`${h.baseUrl}/import?shared=1`);
    const confirm = h.page.getByTestId('share-confirm');
    await confirm.waitFor();
    expect(await confirm.getByTestId('share-files').textContent()).toBe(
      `my_spotify_data.zip (${bytesWords(zip.length)})`,
    );
    expect(diaryName).not.toBe('');
    expect(await confirm.getByTestId('share-diary').textContent()).toBe(diaryName);
    expect(await parked(h.page)).toBe(1);
    expect(await h.page.getByTestId('import-status').count()).toBe(0);
    expect(await importedRows(h.page)).toEqual({ journal: 0, exportPlays: 0 });
    await h.expectAccessible('import page asking about a shared file');

    await confirm.getByRole('button', { name: 'Import' }).click();
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 60_000 });
    expect(
      Number((await h.page.getByTestId('import-imported').textContent())?.replace(/\D/g, '')),
    ).toBeGreaterThan(100);
    expect(await h.page.getByTestId('share-confirm').count()).toBe(0);
    expect(await parked(h.page)).toBe(0);
    const rows = await importedRows(h.page);
    expect(rows.journal).toBeGreaterThan(0);
    expect(rows.exportPlays).toBeGreaterThan(100);
  });
});
