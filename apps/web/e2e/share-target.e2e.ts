// Android's share sheet, as the browser performs it: a multipart POST of the
// file to the manifest's share_target action, a navigation that only the
// app's service worker can answer. The worker parks the file and redirects to
// the Import page, which imports it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateExport, zipExport } from '@mtm/spotify-emulator';
import { startHarness, type Harness } from './harness';

interface ShareTarget {
  action: string;
  method: string;
  enctype: string;
  params: { files: { name: string; accept: string[] }[] };
}

describe('Web Share Target', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulatorStart: '2024-06-15T12:00:00Z' });
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('the built manifest offers the app for zip and JSON files', async () => {
    const manifest = (await (await fetch(`${h.baseUrl}/manifest.webmanifest`)).json()) as {
      share_target?: ShareTarget;
    };
    expect(manifest.share_target).toMatchObject({
      action: '/import/share',
      method: 'POST',
      enctype: 'multipart/form-data',
    });
    const files = manifest.share_target!.params.files;
    expect(files.map((f) => f.name)).toEqual(['history']);
    expect(files[0]!.accept).toEqual(
      expect.arrayContaining(['application/zip', '.zip', 'application/json']),
    );
  });

  it('a zip shared to the app lands on the Import page and is imported', async () => {
    const zip = Buffer.from(
      zipExport(generateExport({ from: Date.UTC(2023, 0, 1), to: Date.UTC(2023, 3, 1) })),
    );
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // the share sheet's request, made the way a form navigation makes it
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
    await h.page
      .locator('#share-file')
      .setInputFiles({ name: 'my_spotify_data.zip', mimeType: 'application/zip', buffer: zip });
    await Promise.all([
      h.page.waitForURL(/\/import\?shared=1$/),
      h.page.evaluate(() => document.querySelector('form')!.submit()),
    ]);
    // a shared file waits for the person's word (issue 12)
    await h.page.getByTestId('share-confirm').getByRole('button', { name: 'Import' }).click();
    await h.page
      .locator('[data-testid="import-status"][data-phase="finished"]')
      .waitFor({ timeout: 60_000 });
    expect(
      Number((await h.page.getByTestId('import-imported').textContent())?.replace(/\D/g, '')),
    ).toBeGreaterThan(100);
    await h.page.getByText(/^Files \(\d+\)$/).click();
    expect(await h.page.locator('ul.files').textContent()).toMatch(/Streaming_History_Audio_/);

    // the Import page took the parked file out of the worker's cache
    expect(
      await h.page.evaluate(
        async () => (await (await caches.open('mtm-share-target')).keys()).length,
      ),
    ).toBe(0);
  });
});
