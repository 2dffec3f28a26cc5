import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimeMachineDb } from '../db/schema';
import type { DiaryScope } from '../app/app-context.svelte';
import { FakeRelay } from './test-support/fake-relay';
import { ACCOUNT, DAY, T0, TestDevice, play, spotifyId } from './test-support/devices';
import { DeviceSync } from './device-sync.svelte';
import { DevicesStore } from './devices-store.svelte';
import { createRelayClient } from './relay-client';
import { joinSync, syncDevice, turnOnSync } from './engine';
import { keyToCode, newRawKey } from './sync-key';

/** What DeviceSync reads of the app context, as state a test can move. */
class FakeContext {
  revision = $state(0);
  accountId = $state<string | null>(ACCOUNT);
  constructor(readonly db: TimeMachineDb) {}
  get scope(): DiaryScope | null {
    const revision = this.revision;
    return this.accountId ? { db: this.db, accountId: this.accountId, revision } : null;
  }
  dataChanged() {
    this.revision++;
  }
}

function setup(device: TestDevice, connected = ACCOUNT) {
  const context = new FakeContext(device.db);
  const sync = new DeviceSync(() => ({
    context,
    connectedAccount: async () => connected,
    relay: createRelayClient({
      fetch: (input, init) =>
        device.online ? device.relay.fetch(input, init) : Promise.reject(new TypeError('offline')),
    }),
    now: () => device.clock,
  }));
  return { context, sync };
}

const gets = (relay: FakeRelay) =>
  relay.log.filter((l) => l.method === 'GET' && l.path.startsWith('/sync/records')).length;

afterEach(() => {
  vi.useRealTimers();
});

describe('DeviceSync: when it runs', () => {
  it('runs on start and on each change announced, and its own announcement does not start another', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    const b = await new TestDevice(relay).init();
    await a.capture([play(spotifyId(1), T0 + 5_000)]);
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);

    const { context, sync } = setup(b);
    relay.log.length = 0;
    // what start()'s effect does in the browser when the app opens
    sync.noticeScope(context.scope);
    await sync.whenIdle();
    expect(gets(relay)).toBe(1);
    expect(sync.phase).toBe('idle');

    // A sends something; B's app announces an import: one run, which receives it
    await a.capture([play(spotifyId(2), T0 + DAY)]);
    await syncDevice(a.deps());
    relay.log.length = 0;
    context.dataChanged();
    sync.noticeScope(context.scope);
    await sync.whenIdle();
    expect(sync.last?.plays).toBe(1);
    // the run announced what it received (stores reload), and does not run again for it
    expect(context.revision).toBe(2);
    sync.noticeScope(context.scope);
    await sync.whenIdle();
    expect(gets(relay)).toBe(1);
  });

  it('requests during a run make one more run, not one each', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await turnOnSync(a.deps());
    const { sync } = setup(a);
    relay.log.length = 0;
    const first = sync.request();
    void sync.request();
    void sync.request();
    await first;
    await sync.whenIdle();
    expect(gets(relay)).toBe(2);
  });

  it('offline: says so, and tries again by itself later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await turnOnSync(a.deps());
    const { sync } = setup(a);
    a.online = false;
    await sync.request();
    expect(sync.phase).toBe('error');
    expect(sync.errorCode).toBe('NETWORK');
    expect(sync.retryAt).toBe(a.clock + 30_000);
    a.online = true;
    vi.advanceTimersByTime(29_999);
    expect(sync.phase).toBe('error');
    vi.advanceTimersByTime(1);
    await sync.whenIdle();
    expect(sync.phase).toBe('idle');
    expect(relay.records.size).toBeGreaterThan(0);
  });

  it('never syncs a diary into the relay of another connected account', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await turnOnSync(a.deps());
    const { sync } = setup(a, 'someone-else');
    relay.log.length = 0;
    await sync.request();
    expect(sync.errorCode).toBe('SYNC_OTHER_ACCOUNT');
    expect(relay.log).toEqual([]);
  });

  it('is off, and asks nothing of the server, until turned on', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    const { context, sync } = setup(a);
    sync.noticeScope(context.scope);
    await sync.whenIdle();
    expect(sync.phase).toBe('off');
    expect(relay.log).toEqual([]);
  });
});

describe('DevicesStore', () => {
  it('turning on shows the key once; a wrong key elsewhere is said in words, with no data', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await a.capture([play(spotifyId(1), T0 + 5_000)]);
    const sa = setup(a);
    const store = new DevicesStore(sa.sync, sa.context as never);
    await store.load(sa.context.scope, undefined);
    expect(store.off).toBe(true);
    await store.turnOn();
    await sa.sync.whenIdle();
    expect(store.key).toMatch(/^([0-9A-Z]{4}-){13}[0-9A-Z]{4}$/);
    expect(store.on).toBe(true);
    store.hideKey();
    expect(store.key).toBeNull();

    const c = await new TestDevice(relay).init();
    const sc = setup(c);
    const other = new DevicesStore(sc.sync, sc.context as never);
    await other.load(sc.context.scope, undefined);
    await other.join(await keyToCode(newRawKey()));
    expect(other.statusState).toBe('error');
    expect(other.statusLine).toMatch(/does not open the copy on the server/);
    expect(other.off).toBe(true);
    expect(await c.plays()).toEqual([]);
  });

  it('adding a device with the right key brings the diary and says what arrived', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await a.capture([play(spotifyId(1), T0 + 5_000), play(spotifyId(2), T0 + DAY)]);
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());

    const b = await new TestDevice(relay).init();
    const sb = setup(b);
    const store = new DevicesStore(sb.sync, sb.context as never);
    await store.load(sb.context.scope, undefined);
    await store.join(code.toLowerCase().replace(/-/g, ' '));
    expect(store.statusState).toBe('idle');
    expect(store.done).toMatch(/2 plays arrived/);
    expect(store.on).toBe(true);
    expect((await b.plays()).length).toBe(2);
  });

  it('turning on where a copy exists says so, and starting over deletes that copy first', async () => {
    const relay = new FakeRelay();
    const a = await new TestDevice(relay).init();
    await a.capture([play(spotifyId(1), T0 + 5_000)]);
    await turnOnSync(a.deps());
    await syncDevice(a.deps());

    const b = await new TestDevice(relay).init();
    const sb = setup(b);
    const store = new DevicesStore(sb.sync, sb.context as never);
    await store.load(sb.context.scope, undefined);
    await store.turnOn();
    expect(store.failed).toBe('SYNC_ALREADY_ON');
    expect(store.statusLine).toMatch(/already on/);
    expect(store.key).toBeNull();
    await store.deleteServerCopy();
    expect(relay.records.size).toBe(0);
    await store.turnOn();
    expect(store.key).not.toBeNull();
    expect(store.on).toBe(true);
  });
});
