// A push queued offline goes out on the next app open, whichever page that
// open starts on (the root layout starts the outbox, not only the pages that
// push). Settings links to the outbox and says how many pushes wait, and
// so does the nav's Settings entry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

interface ControlPlaylist {
  id: string;
  name: string;
  uris: string[];
}

describe('the outbox on every open', () => {
  let h: Harness;
  const chill = async () =>
    (
      await h.emulator.get<{ playlists: ControlPlaylist[] }>('/_emulator/playlists')
    ).playlists.filter((p) => p.name.startsWith('Chill Out - '));

  beforeAll(async () => {
    h = await startHarness();
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('a push queued offline is sent when the app is next opened on the diary', async () => {
    await h.page.goto(`${h.baseUrl}/moods`);
    await h.page.getByText('Chill', { exact: true }).click();
    await h.page.getByTestId('mood-picks').waitFor({ timeout: 60_000 });
    const ids = await h.page
      .locator('[data-testid="mood-picks"] > li')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-track-id') ?? ''));

    await h.context.setOffline(true);
    const button = h.page.getByTestId('push-button');
    await expect.poll(() => button.textContent()).toMatch(/Push when online/);
    await button.click();
    await h.page.locator('[data-testid="push-status"][data-state="pending"]').waitFor();
    // the nav's Settings entry (where the outbox link is) counts it, in words too
    const settingsLink = h.page.locator('nav[aria-label="Main"] a[href="/settings"]');
    await settingsLink.getByTestId('nav-waiting').waitFor();
    expect(await settingsLink.getByTestId('nav-waiting').textContent()).toBe('1');
    // the badge is hidden from screen readers, which hear the words instead
    expect(
      await h.page
        .getByRole('link', { name: /^Settings\s*, 1 playlist waiting to be sent$/ })
        .count(),
    ).toBe(1);

    // still offline: Settings shows the waiting push and the way to the outbox
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByTestId('outbox-waiting').waitFor();
    expect(await h.page.getByTestId('outbox-waiting').textContent()).toBe('1 waiting');
    await h.expectAccessible('settings');

    // the tab is closed offline; the next open is online, on the diary
    await h.restartBrowser();
    expect(await chill()).toHaveLength(0);
    await h.page.goto(`${h.baseUrl}/diary`);
    // created, then filled: wait for the tracks, not only the playlist
    await expect
      .poll(async () => (await chill()).map((p) => p.uris.length), {
        timeout: 60_000,
        interval: 250,
      })
      .toEqual([ids.length]);
    const made = await chill();
    expect(made[0]!.uris).toEqual(ids.map((id) => `spotify:track:${id}`));
    expect(h.page.url()).toMatch(/\/diary/);
    await expect.poll(() => h.page.getByTestId('nav-waiting').count()).toBe(0);
  });

  it('Settings links to the outbox, which lists the push as done', async () => {
    await h.page.goto(`${h.baseUrl}/moods`);
    await h.page.getByTestId('mood-picks').waitFor({ timeout: 60_000 });
    await h.page.getByTestId('push-button').click();
    await h.page
      .locator('[data-testid="push-status"][data-state="done"]')
      .waitFor({ timeout: 60_000 });

    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByTestId('outbox-link').click();
    await h.page.waitForURL(/\/outbox$/);
    await h.page.locator('[data-testid="outbox-entry"][data-state="done"]').first().waitFor();
    expect(await h.page.getByTestId('outbox-waiting').count()).toBe(0);
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByTestId('outbox-link').waitFor();
    expect(await h.page.getByTestId('outbox-waiting').count()).toBe(0);
  });
});
