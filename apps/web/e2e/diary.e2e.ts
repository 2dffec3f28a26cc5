// Issue 5's journey: connect through the emulator's consent page, first sync,
// open a month; then the server goes away and the browser goes offline, and
// the diary still opens from the device.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('diary PWA in demo mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  // A new profile, never connected: the tests read it, and the last one connects it.
  describe('a first visit', () => {
    beforeAll(async () => {
      await h.reset();
    });

    it('first run explains the app and passes axe', async () => {
      await h.page.goto(h.baseUrl);
      await h.page.getByRole('heading', { name: 'Your musical diary' }).waitFor();
      expect(await h.page.getByText('stays on this device').count()).toBeGreaterThan(0);
      expect(await h.page.getByText('Demo: this is a built-in sample listener').count()).toBe(1);
      await h.expectAccessible('first run');
    });

    it('is installable: manifest with 192, 512 and maskable icons, and a service worker', async () => {
      await h.page.goto(h.baseUrl);
      const href = await h.page.locator('link[rel="manifest"]').getAttribute('href');
      const manifest = (await (await fetch(new URL(href ?? '', h.baseUrl))).json()) as {
        name: string;
        theme_color: string;
        icons: { sizes: string; purpose?: string }[];
      };
      expect(manifest.name).toBe('Music Time Machine');
      expect(manifest.theme_color).toMatch(/^#/);
      expect(manifest.icons.map((i) => `${i.sizes}${i.purpose ? ` ${i.purpose}` : ''}`)).toEqual([
        '192x192',
        '512x512',
        '512x512 maskable',
      ]);
      const scope = await h.page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
      expect(scope).toBe(`${h.baseUrl}/`);
    });

    it('connects through the consent page, syncs, and opens the current month', async () => {
      await h.connect();
      await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
      const rows = h.page.locator('ol.tracks > li');
      expect(await rows.count()).toBeGreaterThan(10);
      const firstLink = await rows.first().locator('a').getAttribute('href');
      expect(firstLink).toMatch(/^https:\/\/open\.spotify\.com\/track\/[0-9A-Za-z]{22}$/);
      expect(await h.page.getByTestId('one-snapshot').textContent()).toContain(
        'Come back next week',
      );
      // a new app gets 403 from Spotify's /audio-features: by default it is never asked,
      // so the browser logs no failed request on a first run (issue 12)
      const { byOperation } = await h.emulator.get<{ byOperation: Record<string, number> }>(
        '/_emulator/requests',
      );
      expect(byOperation['get-several-audio-features']).toBeUndefined();
      expect(byOperation['reccobeats-audio-features'] ?? 0).toBeGreaterThan(0);
      await h.expectAccessible('month page');
      await h.page.emulateMedia({ colorScheme: 'dark' });
      await h.expectAccessible('month page, dark theme');
      await h.page.emulateMedia({ colorScheme: 'light' });
    });
  });

  // A new profile, connected (one snapshot): the first test reads it, the
  // others stop the server, so they come last.
  describe('once connected', () => {
    let monthPath: string;
    beforeAll(async () => {
      await h.reset();
      await h.connect();
      monthPath = new URL(h.page.url()).pathname;
    });

    it('lists the month in the diary timeline, kindly noting there is only one snapshot', async () => {
      await h.page.goto(`${h.baseUrl}${monthPath}`);
      await h.page.getByRole('link', { name: 'All months' }).click();
      await h.page.getByRole('heading', { name: 'Your diary' }).waitFor();
      const months = h.page.locator('a.month');
      await months.first().waitFor();
      expect(await h.page.getByTestId('one-snapshot').count()).toBe(1);
      await h.expectAccessible('diary');
    });

    it('opens the diary with the server stopped and the browser offline', async () => {
      await h.page.goto(`${h.baseUrl}/diary`);
      await h.waitForSync();
      // the service worker must control the page before we cut the network
      await h.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await h.stopServer();
      await h.context.setOffline(true);
      await h.page.goto(`${h.baseUrl}${monthPath}`);
      await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
      expect(await h.page.locator('ol.tracks > li').count()).toBeGreaterThan(10);
      await h.page.reload();
      await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
      await h.page.getByText("You're offline").first().waitFor();
    });

    it('cold-starts offline: browser restarted with no network and no server', async () => {
      await h.stopServer();
      await h.restartBrowser({ offline: true });
      // Chromium's disk cache may still hold the covers; make the image host
      // truly unreachable to see the fallback
      await h.context.route(`${h.emulatorUrl}/images/**`, (route) =>
        route.abort('internetdisconnected'),
      );
      await h.page.goto(`${h.baseUrl}/diary`);
      await h.page.locator('a.month').first().waitFor();
      await h.page.locator('a.month').first().click();
      await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
      // covers come from the unreachable image host: labelled colour blocks stand in
      const blocks = h.page.locator('.mosaic [role="img"]');
      await blocks.first().waitFor();
      expect(await blocks.count()).toBe(await h.page.locator('.mosaic li').count());
      expect(await blocks.first().getAttribute('aria-label')).toMatch(/cover$/);
      await h.expectAccessible('month page offline');
    });
  });
});
