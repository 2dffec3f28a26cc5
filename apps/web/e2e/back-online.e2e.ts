// Opened offline, the app shows the diary and waits; when the network comes
// back it syncs by itself. Also: everything is reachable with the keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('offline open, then back online', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('syncs when the online event comes', async () => {
    await h.restartBrowser({ offline: true });
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();
    await h.page.getByText("You're offline").first().waitFor();
    expect(await h.page.locator('[data-sync-phase]').getAttribute('data-sync-phase')).toBe('idle');

    await h.context.setOffline(false);
    await h.page.locator('[data-sync-phase="done"]').waitFor();
  });

  it('reaches the skip link, the content and every nav entry with Tab', async () => {
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();
    await h.page.keyboard.press('Tab');
    expect(await h.page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(
      'Skip to content',
    );
    await h.page.keyboard.press('Enter');
    expect(await h.page.evaluate(() => location.hash)).toBe('#main');
    const reached = new Set<string>();
    for (let i = 0; i < 40 && reached.size < 6; i++) {
      await h.page.keyboard.press('Tab');
      const label = await h.page.evaluate(() =>
        document.activeElement?.closest('nav[aria-label="Main"]')
          ? document.activeElement.textContent?.trim()
          : null,
      );
      if (label) reached.add(label);
    }
    expect([...reached].sort()).toEqual([
      'Diary',
      'Evolution',
      'Gems',
      'Import',
      'Moods',
      'Settings',
    ]);
  });
});
