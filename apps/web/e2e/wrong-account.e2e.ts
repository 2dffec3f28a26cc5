// Issue 12: the outbox follows the diary shown, but the Spotify token follows
// the server's cookie. With another account's diary shown, its queued
// playlists must wait, saying why, and never be created in the connected
// account's Spotify.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

// Runs in the page: a second account's diary with one unsent push, as an
// earlier connection of that account would have left it.
const SEED_OTHER_DIARY_WITH_A_PUSH = `(async () => {
  const req = indexedDB.open('music-time-machine');
  const db = await new Promise((res, rej) => { req.onsuccess = () => res(req.result); req.onerror = () => rej(req.error); });
  const tx = db.transaction(['accounts', 'outbox'], 'readwrite');
  tx.objectStore('accounts').put({ accountId: 'other-account', displayName: 'Second Listener', imageUrl: null, connectedAt: 1 });
  tx.objectStore('outbox').put({
    id: 'other-push', accountId: 'other-account', createdAt: 1, updatedAt: 1, state: 'pending',
    name: 'Their Mix - Nov 2026', description: 'd', uris: ['spotify:track:0000000000000000000042'],
    playlistId: null, playlistUrl: null, addedCount: 0, attempts: 0, lastError: null,
    createAttempted: false, finishedAt: null,
  });
  await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
  db.close();
})()`;

describe('a push queued for another account (issue 12)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect();
    await h.page.evaluate(SEED_OTHER_DIARY_WITH_A_PUSH);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('waits, says why, and creates nothing in the connected account', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByLabel('Diary shown').selectOption('other-account');
    await h.page
      .getByTestId('account-switched')
      .filter({ hasText: 'Now showing the diary of Second Listener.' })
      .waitFor();

    await h.page.goto(`${h.baseUrl}/outbox`);
    const notice = h.page.getByTestId('outbox-wrong-account');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /Spotify is connected as .+, not as the account of this diary/,
    );
    await h.page.reload();
    await notice.waitFor();
    const { playlists } = await h.emulator.get<{ playlists: unknown[] }>('/_emulator/playlists');
    expect(playlists).toEqual([]);
    expect(await h.page.getByTestId('outbox-entry').getAttribute('data-state')).toBe('pending');
  });
});
