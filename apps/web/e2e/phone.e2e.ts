// Phone-width pages: nothing sticks out sideways (a page that scrolls
// horizontally on a 360 px phone hides the nav's right end and wobbles when
// scrolled), with the demo listener's long track names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_FLAGS, chromiumPath, startHarness, type Harness } from './harness';

/** Installed before a page's scripts: keeps every layout shift not caused by input, with what moved. */
function recordLayoutShifts(): void {
  const seen: { value: number; nodes: string[] }[] = [];
  (window as unknown as { shifts: typeof seen }).shifts = seen;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as unknown as {
      value: number;
      hadRecentInput: boolean;
      sources: { node?: Node }[];
    }[])
      if (!e.hadRecentInput)
        seen.push({
          value: e.value,
          nodes: e.sources.map(
            (s) => (s.node as Element | undefined)?.outerHTML?.slice(0, 60) ?? '?',
          ),
        });
  }).observe({ type: 'layout-shift', buffered: true });
}
const layoutShifts = (page: Page) =>
  page.evaluate(() => (window as unknown as { shifts: unknown[] }).shifts);

describe('phone layout', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulatorStart: '2024-06-15T12:00:00Z' });
    await h.connect();
    await h.page.setViewportSize({ width: 360, height: 780 });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** How far the page scrolls sideways, and (to read a failure) what reaches past the right edge. */
  const sticksOut = async () => {
    const r = await h.page.evaluate(() => {
      const w = document.documentElement.clientWidth;
      return {
        overflow: document.documentElement.scrollWidth - w,
        past: [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > w + 1)
          .slice(0, 5)
          .map(
            (e) =>
              `${e.tagName.toLowerCase()}.${e.className} "${(e.textContent ?? '').slice(0, 30)}"`,
          ),
      };
    });
    expect(r.overflow, r.past.join('\n')).toBe(0);
  };

  it('a first visit shows the demo note from its first paint: nothing on the page moves', async () => {
    // a new phone: no cookie, no service worker, nothing cached
    const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_FLAGS });
    try {
      const context = await browser.newContext({ viewport: { width: 412, height: 860 } });
      const page = await context.newPage();
      await page.addInitScript(recordLayoutShifts);
      await page.goto(h.baseUrl);
      await page.getByRole('note').filter({ hasText: 'Demo' }).waitFor();
      // the config, the service worker and the connection check have all answered
      await page.waitForLoadState('networkidle');
      await page.getByRole('link', { name: 'Connect Spotify' }).first().waitFor();
      expect(await layoutShifts(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });

  it('the diary opens in one piece: "on this day" and the year at a glance take their place without moving the months', async () => {
    const page = await h.page.context().newPage();
    try {
      await page.setViewportSize({ width: 360, height: 780 });
      await page.addInitScript(recordLayoutShifts);
      await page.goto(`${h.baseUrl}/diary`);
      await page.getByTestId('on-this-day').waitFor();
      await page.getByTestId('calendar-heatmap').first().waitFor();
      await page.locator('section[aria-busy="false"]').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await layoutShifts(page)).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('the month page fits the screen', async () => {
    await h.page.goto(`${h.baseUrl}/diary/2024-06`);
    await h.page.locator('ol.tracks > li').first().waitFor();
    expect(await h.page.locator('ol.tracks a').count()).toBeGreaterThan(0);
    await sticksOut();
  });

  it.each(['/diary', '/gems', '/moods', '/evolution', '/settings', '/outbox', '/import'])(
    '%s fits the screen',
    async (path) => {
      await h.page.goto(`${h.baseUrl}${path}`);
      await h.page.locator('h1').first().waitFor();
      await h.page
        .locator('nav[aria-label="Main"] a[aria-current="page"], nav[aria-label="Main"]')
        .first()
        .waitFor();
      await sticksOut();
    },
  );
});
