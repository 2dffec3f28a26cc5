// What a person sees when Spotify slows us down or the connection expires:
// words, a time, a way forward, and the diary untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

const DAY = 86_400_000;

describe('sync problems', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulatorStart: '2026-03-03T10:00:00Z' });
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a long Retry-After shows "paused until" with a time, keeps the diary readable, and resumes', async () => {
    await h.emulator.post('/_emulator/faults', {
      rate: 1,
      kinds: ['429'],
      retryAfterS: 3600,
      seed: 1,
    });
    try {
      await h.page.goto(`${h.baseUrl}/diary`);
      const strip = h.page.locator('[data-sync-phase="paused"]');
      await strip.waitFor();
      expect(await strip.textContent()).toMatch(/Paused until \d{2}:\d{2}/);
      await h.page.locator('a.month').first().waitFor();
    } finally {
      // Spotify is fine again (also when this test failed: the next ones sync)
      await h.emulator.delete('/_emulator/faults');
    }
    // an hour passes on the page's (fake) clock: the sync resumes by itself
    await h.page.clock.fastForward('01:00:05');
    await h.page.locator('[data-sync-phase="done"]').waitFor();
  });

  it('an expired connection (refresh token older than 6 months) says so, offers Reconnect, and keeps the diary', async () => {
    await h.advanceClock(200 * DAY);
    await h.page.goto(`${h.baseUrl}/diary`);
    const strip = h.page.locator('[data-sync-phase="failed"]');
    await strip.waitFor();
    expect(await strip.textContent()).toContain(
      'Your Spotify connection expired (they last 6 months). Your diary is safe.',
    );
    expect(await strip.getByRole('link', { name: 'Reconnect' }).getAttribute('href')).toBe(
      '/auth/login',
    );
    await h.page.goto(`${h.baseUrl}/diary/2026-03`);
    await h.page.getByRole('heading', { name: 'Top tracks' }).waitFor();
    expect(await h.page.locator('ol.tracks > li').count()).toBeGreaterThan(10);
    await h.expectAccessible('month page with an expired connection');
  });

  it('settings are reachable and accessible', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByLabel('Save my top tracks').waitFor();
    await h.expectAccessible('settings');
  });

  it('deletes this diary from the device only after a confirmation', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByRole('button', { name: /Delete this diary/ }).click();
    await h.page.getByRole('button', { name: 'Keep it' }).click();
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();

    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByRole('button', { name: /Delete this diary/ }).click();
    await h.page.getByRole('button', { name: 'Yes, delete it' }).click();
    await h.page.getByRole('heading', { name: 'Your musical diary' }).waitFor();
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.getByRole('heading', { name: 'Your musical diary' }).waitFor();
    expect(await h.page.locator('a.month').count()).toBe(0);
  });
});
