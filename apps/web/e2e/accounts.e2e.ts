// Two Spotify accounts on one device keep two diaries; Settings switches
// between them, and a routine sync of the connected one does not switch back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

// Runs in the page: a second account's diary as an earlier connection (or a
// backup) would have left it. Plain JavaScript: see bench/cold-start.ts.
const SEED_OTHER_ACCOUNT = `(async () => {
  const req = indexedDB.open('music-time-machine');
  const db = await new Promise((res, rej) => { req.onsuccess = () => res(req.result); req.onerror = () => rej(req.error); });
  const tx = db.transaction(['accounts', 'snapshots', 'tracks'], 'readwrite');
  tx.objectStore('accounts').put({ accountId: 'other-account', displayName: 'Second Listener', imageUrl: null, connectedAt: 1 });
  tx.objectStore('tracks').put({ id: '0000000000000000000042', name: 'A Song Only The Other One Loved', artists: [{ id: null, name: 'Someone' }], album: { id: null, name: 'Old Album', imageUrl: null }, durationMs: 200000, isrc: null });
  tx.objectStore('snapshots').put({ id: 'other:short_term:1', accountId: 'other-account', takenAt: Date.UTC(2024, 2, 15), range: 'short_term', trackIds: ['0000000000000000000042'] });
  await new Promise((res, rej) => { tx.oncomplete = res; tx.onerror = () => rej(tx.error); });
  db.close();
})()`;

describe('several accounts on one device', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await h.connect();
    await h.page.evaluate(SEED_OTHER_ACCOUNT);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('switches the diary shown in Settings and keeps the diaries apart', async () => {
    await h.page.goto(`${h.baseUrl}/settings`);
    const picker = h.page.getByLabel('Diary shown');
    await picker.waitFor();
    await picker.selectOption('other-account');
    await h.page
      .getByTestId('account-switched')
      .filter({ hasText: 'Now showing the diary of Second Listener.' })
      .waitFor();

    await h.page.goto(`${h.baseUrl}/diary`);
    await h.waitForSync(); // the connected (other) account syncs; the choice must stay
    await h.page.locator('a.month[href="/diary/2024-03"]').waitFor();
    expect(await h.page.locator('a.month').count()).toBe(1);
    await h.page.locator('a.month').click();
    await h.page.getByText('A Song Only The Other One Loved').waitFor();

    await h.page.goto(`${h.baseUrl}/settings`);
    await h.page.getByLabel('Diary shown').waitFor();
    const values = await h.page
      .getByLabel('Diary shown')
      .locator('option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    await h.page
      .getByLabel('Diary shown')
      .selectOption(values.find((v) => v !== 'other-account') ?? '');
    // the switch is stored before the next page opens (it is announced then)
    await h.page
      .getByTestId('account-switched')
      .filter({ hasText: /^Now showing the diary of / })
      .waitFor();
    await h.page.goto(`${h.baseUrl}/diary`);
    await h.page.locator('a.month').first().waitFor();
    expect(await h.page.locator('a.month[href="/diary/2024-03"]').count()).toBe(0);
  });
});
