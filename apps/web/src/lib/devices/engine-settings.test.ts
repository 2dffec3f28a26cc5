import { beforeEach, describe, expect, it } from 'vitest';
import { FakeRelay } from './test-support/fake-relay';
import { TestDevice } from './test-support/devices';
import { joinSync, rotateKey, syncDevice, turnOnSync } from './engine';
import { sealRecord } from './record-crypto';
import { settingsName } from './records';
import { loadSettings, loadStampedSettings, saveSettings } from '../db/settings';
import { loadSyncState, saveSyncState } from '../db/sync-state';
import { accountKey, writeMeta } from '../db/meta';

const MIN = 60_000;

let relay: FakeRelay;
let a: TestDevice;
let b: TestDevice;

beforeEach(async () => {
  relay = new FakeRelay();
  a = await new TestDevice(relay).init();
  b = await new TestDevice(relay).init();
  const code = await turnOnSync(a.deps());
  await syncDevice(a.deps());
  await joinSync(b.deps(), code);
});

const cadence = async (d: TestDevice) => (await loadSettings(d.db, d.accountId)).cadence;

describe('settings between two devices: the later change wins, whenever it is synced (issue 13)', () => {
  // A changes first, B a minute later, both before any sync; the runs come
  // much later, in either order, and each at a later time than the last
  it.each([
    ['A syncs first', ['a', 'b', 'a']],
    ['B syncs first, and A, whose change is older, syncs after it', ['b', 'a', 'b']],
  ] as const)('the same setting changed on both: %s', async (_, order) => {
    const start = a.clock;
    await saveSettings(a.db, a.accountId, { cadence: 'daily' }, start + MIN);
    await saveSettings(b.db, b.accountId, { cadence: 'monthly' }, start + 2 * MIN);
    let at = start + 60 * MIN;
    for (const name of order) {
      const d = name === 'a' ? a : b;
      d.clock = at += MIN;
      await syncDevice(d.deps());
    }
    expect(await cadence(a)).toBe('monthly');
    expect(await cadence(b)).toBe('monthly');
  });

  it('a change made earlier but synced later does not win, and changes nothing on the relay', async () => {
    await saveSettings(b.db, b.accountId, { cadence: 'monthly' }, a.clock + 2 * MIN);
    b.clock += 10 * MIN;
    await syncDevice(b.deps());
    // A changed the setting before B did, and was offline until now
    await saveSettings(a.db, a.accountId, { cadence: 'daily' }, a.clock + MIN);
    a.clock += 60 * MIN;
    relay.log.length = 0;
    await syncDevice(a.deps());
    expect(await cadence(a)).toBe('monthly');
    // the relay's copy already held the later change: nothing to send
    expect(relay.log.map((l) => l.method)).toEqual(['GET']);
    await syncDevice(b.deps());
    expect(await cadence(b)).toBe('monthly');
  });

  it('two settings changed on two devices both stay', async () => {
    await saveSettings(a.db, a.accountId, { cadence: 'daily' }, a.clock + MIN);
    await saveSettings(b.db, b.accountId, { timeZone: 'Europe/Paris' }, b.clock + 2 * MIN);
    await syncDevice(a.deps());
    await syncDevice(b.deps());
    await syncDevice(a.deps());
    const both = { cadence: 'daily', timeZone: 'Europe/Paris' };
    expect(await loadSettings(a.db, a.accountId)).toEqual(both);
    expect(await loadSettings(b.db, b.accountId)).toEqual(both);
  });

  it('after a new key, the settings go up again under it, with their times', async () => {
    await saveSettings(a.db, a.accountId, { cadence: 'daily' }, a.clock + MIN);
    await syncDevice(a.deps());
    const next = await rotateKey(a.deps());
    await syncDevice(a.deps());
    const c = await new TestDevice(relay).init();
    await joinSync(c.deps(), next);
    expect(await loadStampedSettings(c.db, c.accountId)).toEqual(
      await loadStampedSettings(a.db, a.accountId),
    );
  });
});

describe('settings from builds before they had times', () => {
  it('a row with no times loads as it always did, each setting changed at 0', async () => {
    await writeMeta(a.db, accountKey(a.accountId, 'settings'), {
      cadence: 'monthly',
      timeZone: 'Europe/Paris',
    });
    expect(await loadStampedSettings(a.db, a.accountId)).toEqual({
      settings: { cadence: 'monthly', timeZone: 'Europe/Paris' },
      updatedAt: { cadence: 0, timeZone: 0 },
    });
  });

  it("a record from such a build counts each setting as changed at the record's time", async () => {
    const keys = (await loadSyncState(b.db, b.accountId))!.keys;
    await saveSettings(b.db, b.accountId, { cadence: 'daily' }, b.clock + MIN);
    const old = await sealRecord(keys, settingsName(b.accountId), {
      updatedAt: b.clock + 2 * MIN,
      settings: { cadence: 'monthly', timeZone: null },
    });
    relay.records.set(old.id, { seq: ++relay.seq, id: old.id, epoch: old.epoch, body: old.body });
    await syncDevice(b.deps());
    expect(await loadStampedSettings(b.db, b.accountId)).toEqual({
      settings: { cadence: 'monthly', timeZone: null },
      updatedAt: { cadence: b.clock + 2 * MIN, timeZone: b.clock + 2 * MIN },
    });
  });

  it('a change such a build made and never sent is dated by the run that sees it, as that build did', async () => {
    // B, before the upgrade: agreed weekly with the relay at its first run,
    // then the person chose monthly, with no time kept
    const state = (await loadSyncState(b.db, b.accountId))!;
    delete state.settingsSeen;
    state.settings = { json: JSON.stringify({ cadence: 'weekly', timeZone: null }), updatedAt: 5 };
    await saveSyncState(b.db, state);
    await writeMeta(b.db, accountKey(b.accountId, 'settings'), {
      cadence: 'monthly',
      timeZone: null,
    });
    // A chose daily since, and sent it
    await saveSettings(a.db, a.accountId, { cadence: 'daily' }, a.clock + MIN);
    await syncDevice(a.deps());
    // B's run after the upgrade dates its change now: later than A's
    b.clock = a.clock + 10 * MIN;
    await syncDevice(b.deps());
    await syncDevice(a.deps());
    expect(await cadence(b)).toBe('monthly');
    expect(await cadence(a)).toBe('monthly');
    expect((await loadStampedSettings(a.db, a.accountId)).updatedAt.cadence).toBe(b.clock);
    expect((await loadSyncState(b.db, b.accountId))!.settings).toBeNull();
  });

  it('a joining device takes what the others chose over its own undated settings', async () => {
    const other = new FakeRelay();
    const first = await new TestDevice(other).init();
    const joining = await new TestDevice(other).init();
    // chosen on an older build, before sync was turned on: a row with no time
    // ('daily' sorts before the default 'weekly': a tie between the two would keep the default)
    await writeMeta(first.db, accountKey(first.accountId, 'settings'), {
      cadence: 'daily',
      timeZone: null,
    });
    const code = await turnOnSync(first.deps());
    await syncDevice(first.deps());
    await joinSync(joining.deps(), code);
    await syncDevice(first.deps());
    expect(await cadence(joining)).toBe('daily');
    expect(await cadence(first)).toBe('daily');
  });
});
