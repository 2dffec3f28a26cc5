// A denied consent and an account missing from the app's allow-list each get
// words and a way forward, never a dead end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('connect problems', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('explains a cancelled consent and offers to try again or import', async () => {
    await h.page.goto(h.baseUrl);
    await h.page.getByRole('link', { name: 'Connect Spotify' }).first().click();
    await h.page.waitForURL(/\/accounts\/authorize/);
    await h.page.locator('#cancel').click();
    await h.page.waitForURL(/\/connect\?error=access_denied/);
    await h.page.getByRole('alert').getByText('You chose not to connect Spotify').waitFor();
    expect(await h.page.getByRole('link', { name: 'Try again' }).count()).toBe(1);
    expect(await h.page.getByRole('link', { name: 'Import your history instead' }).count()).toBe(1);
    await h.expectAccessible('connect error');
  });

  it('tells a listener missing from the allow-list what is going on', async () => {
    await h.connect({ account: 'outsider' });
    await h.page.waitForURL(/\/connect\?error=not_allowlisted/, { timeout: 60_000 });
    await h.page
      .getByRole('alert')
      .getByText('This Spotify app has not been opened to your account yet.')
      .waitFor();
    expect(await h.page.getByText('User Management').count()).toBe(1);
  });
});
