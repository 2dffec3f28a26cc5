// Phone-width pages: nothing sticks out sideways (a page that scrolls
// horizontally on a 360 px phone hides the nav's right end and wobbles when
// scrolled), with the demo listener's long track names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

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
