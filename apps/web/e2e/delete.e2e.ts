// Deleting the connected account's diary also disconnects, so the next open
// does not quietly start a new diary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

describe('delete local data while connected', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect();
  });
  afterAll(async () => {
    await h?.close();
  });

  // ends connected again, as beforeAll left it for the next test
  it('disconnecting keeps the diary and offers to connect again', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByRole('button', { name: 'Disconnect Spotify' }).click();
    // the server has forgotten the connection (a navigation now would cancel the request)
    await h.page.getByRole('link', { name: 'Reconnect Spotify' }).waitFor();
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();
    const strip = h.page.getByRole('status').filter({ hasText: 'Not connected to Spotify' });
    await strip.waitFor();
    await strip.getByRole('link', { name: 'Connect Spotify' }).click();
    await h.page.locator('#agree').click();
    await h.page.waitForURL(/\/diary\/\d{4}-\d{2}$/);
  });

  it('removes the diary and the connection; reopening shows the first-run screen', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByRole('button', { name: /Delete this diary/ }).click();
    await h.page.getByRole('button', { name: 'Yes, delete it' }).click();
    await h.page.getByRole('heading', { name: 'Your musical diary' }).waitFor();
    // the layout's sync on open asks for a token and finds no connection
    const token = h.page.waitForResponse((r) => r.url().endsWith('/auth/token'));
    await h.page.goto(`${h.baseUrl}/diary`);
    expect(await (await token).json()).toEqual({ connected: false, code: 'NOT_CONNECTED' });
    await h.page.getByRole('heading', { name: 'Your musical diary' }).waitFor();
    expect(await h.page.locator('a.month').count()).toBe(0);
    // no connection is left; only the server's demo hint (not a secret) may stay
    expect((await h.context.cookies()).map((c) => c.name)).toEqual(['mtm-demo']);
  });
});
