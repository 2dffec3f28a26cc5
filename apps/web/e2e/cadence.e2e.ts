// The weekly snapshot cadence, across a moved clock: a day later no new
// snapshot, eight days later a new set of three.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';

const DAY = 86_400_000;

describe('snapshot cadence', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ emulatorStart: '2026-03-03T10:00:00Z' });
  });
  afterAll(async () => {
    await h?.close();
  });
  // each test connects a new profile at the emulator's start: the counts are its own
  beforeEach(async () => {
    await h.reset();
  });

  async function snapshotsInMarch(): Promise<number> {
    await h.page.goto(`${h.baseUrl}/diary/2026-03`);
    await h.page.getByRole('heading', { name: 'Snapshots taken this month' }).waitFor();
    return h.page.locator('ul.snaps > li').count();
  }

  async function reopen(): Promise<string> {
    await h.page.goto(`${h.baseUrl}/diary`);
    return h.waitForSync();
  }

  it('takes one set on connect, none a day later, and a new set eight days later', async () => {
    await h.connect();
    expect(h.page.url()).toMatch(/\/diary\/2026-03$/);
    expect(await snapshotsInMarch()).toBe(3);

    await h.advanceClock(DAY);
    expect(await reopen()).not.toContain('saved your top tracks');
    expect(await snapshotsInMarch()).toBe(3);

    await h.advanceClock(7 * DAY);
    expect(await reopen()).toContain('saved your top tracks');
    expect(await snapshotsInMarch()).toBe(6);
  });

  it('"Take a snapshot now" saves a set whatever the cadence says', async () => {
    await h.connect();
    expect(await snapshotsInMarch()).toBe(3); // just taken: the cadence wants none for a week
    await h.page.goto(`${h.baseUrl}/settings`);
    await h.waitForSync();
    await h.page.getByRole('button', { name: 'Take a snapshot now' }).click();
    await h.page
      .locator('[data-sync-phase="done"]')
      .filter({ hasText: 'saved your top tracks' })
      .waitFor();
    expect(await snapshotsInMarch()).toBe(6);
  });
});
