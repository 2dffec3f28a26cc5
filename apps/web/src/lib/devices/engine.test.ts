import { beforeEach, describe, expect, it } from 'vitest';
import { playBatchKey, trackUri, type Play } from '@mtm/core';
import { FakeRelay } from './test-support/fake-relay';
import { DAY, T0, TestDevice, feature, play, spotifyId, track } from './test-support/devices';
import { joinSync, rotateKey, syncDevice, turnOnSync, deleteServerCopy } from './engine';
import { DeviceSyncError } from './device-sync-error';
import { openRecord, sealRecord } from './record-crypto';
import { keyToCode, newRawKey } from './sync-key';
import { loadSyncState } from '../db/sync-state';
import { allSnapshots } from '../db/snapshots';
import { getFeatures } from '../db/features';
import { getTracks } from '../db/tracks';
import { outboxEntries } from '../db/outbox';
import { loadSettings, saveSettings } from '../db/settings';
import { applyReceivedMonth } from '../db/sync-records';

async function failure(p: Promise<unknown>): Promise<DeviceSyncError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeviceSyncError) return e;
    throw e;
  }
  throw new Error('expected a DeviceSyncError');
}

const ids = Array.from({ length: 12 }, (_, i) => spotifyId(i));
const tracks = ids.map((id) => track(id));

/** Two years of plays, a few a day, across month ends (UTC). */
function history(days = 730, perDay = 3): Play[] {
  const out: Play[] = [];
  for (let d = 0; d < days; d++)
    for (let k = 0; k < perDay; k++)
      out.push(play(ids[(d + k) % ids.length]!, T0 + d * DAY + k * 3_600_000 + 17_000));
  return out;
}

/** A's records: one per UTC week its two years span (snapshots fall inside), the pushes, the settings. */
const RECORDS = new Set(history().map(playBatchKey)).size + 2;

let relay: FakeRelay;
let a: TestDevice;
let b: TestDevice;

beforeEach(async () => {
  relay = new FakeRelay();
  a = await new TestDevice(relay).init();
  b = await new TestDevice(relay).init();
});

/** A: two years of plays, snapshots, features, a finished and a pending push, a setting. */
async function fillA(): Promise<void> {
  await a.capture(history(), tracks);
  for (let m = 0; m < 24; m++) await a.snapshot(T0 + m * 30 * DAY + 5 * DAY, ids.slice(0, 5));
  await a.features(ids.slice(0, 8));
  await a.push('done-1', 'done', [trackUri(ids[0]!)]);
  await a.push('pending-1', 'pending', [trackUri(ids[1]!)]);
  await saveSettings(a.db, a.accountId, { cadence: 'daily' }, a.clock);
}

/** Opens every record on the relay with a device's keys. */
async function relayContents(d: TestDevice) {
  const state = (await loadSyncState(d.db, d.accountId))!;
  return Promise.all(relay.all().map((r) => openRecord<Record<string, unknown>>(state.keys, r)));
}

describe('two devices (issue 13)', () => {
  it('B joins with the code and holds the same diary; pending pushes stay on A', async () => {
    await fillA();
    const code = await turnOnSync(a.deps());
    const sent = await syncDevice(a.deps());
    expect(RECORDS).toBeGreaterThan(100);
    expect(sent!.sent).toBe(RECORDS);
    expect(relay.records.size).toBe(RECORDS);

    const got = await joinSync(b.deps(), code);
    expect(got.received).toBe(RECORDS);
    expect(await b.plays()).toEqual(await a.plays());
    expect(await allSnapshots(b.db, b.accountId)).toEqual(await allSnapshots(a.db, a.accountId));
    expect([...(await getTracks(b.db, ids)).values()]).toEqual([
      ...(await getTracks(a.db, ids)).values(),
    ]);
    expect((await getFeatures(b.db, ids)).size).toBe(8);
    expect((await outboxEntries(b.db, b.accountId)).map((e) => [e.id, e.state])).toEqual([
      ['done-1', 'done'],
    ]);
    expect((await loadSettings(b.db, b.accountId)).cadence).toBe('daily');
    // nothing on the relay mentions the pending push
    for (const r of await relayContents(a)) expect(JSON.stringify(r)).not.toContain('pending-1');
    // B sent nothing back: it holds nothing the relay lacks
    expect(got.sent).toBe(0);
  });

  it('what B captures reaches A at its next run, and a run with nothing new sends nothing', async () => {
    await fillA();
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);

    const later = T0 + 731 * DAY + 5_000;
    const fresh = track(spotifyId(99));
    await b.capture([play(fresh.id, later, { source: 'recent' })], [fresh]);
    await b.snapshot(later + 1_000, [fresh.id]);
    await b.features([fresh.id]);
    const fromB = await syncDevice(b.deps());
    expect(fromB!.sent).toBe(1); // one month: its plays, snapshot, new track and features

    relay.log.length = 0;
    const toA = await syncDevice(a.deps());
    expect(toA!.plays).toBe(1);
    expect(toA!.snapshots).toBe(1);
    expect(toA!.sent).toBe(0);
    expect((await a.plays()).length).toBe((await b.plays()).length);
    expect((await getTracks(a.db, [fresh.id])).get(fresh.id)?.name).toBe(fresh.name);
    expect((await getFeatures(a.db, [fresh.id])).size).toBe(1);

    // steady state: a run that finds nothing new is one request
    relay.log.length = 0;
    expect((await syncDevice(a.deps()))!.sent).toBe(0);
    expect(relay.log.map((l) => l.method)).toEqual(['GET']);
  });

  it("a day's capture is one GET and one PUT of one record", async () => {
    await fillA();
    await turnOnSync(a.deps());
    await syncDevice(a.deps());
    const day = T0 + 700 * DAY;
    await a.capture(
      Array.from({ length: 50 }, (_, i) =>
        play(ids[i % 12]!, day + i * 60_000 + 5, { source: 'recent' }),
      ),
    );
    relay.log.length = 0;
    const r = await syncDevice(a.deps());
    expect(r!.sent).toBe(1);
    expect(relay.log.map((l) => l.method)).toEqual(['GET', 'PUT']);
  });

  it('settings: the last change wins', async () => {
    await fillA();
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    b.clock += 1000;
    await saveSettings(b.db, b.accountId, { cadence: 'monthly' }, b.clock);
    await syncDevice(b.deps());
    await syncDevice(a.deps());
    expect((await loadSettings(a.db, a.accountId)).cadence).toBe('monthly');
  });
});

describe('listens to the second that end on a whole minute', () => {
  const minute = Date.UTC(2024, 2, 10, 10, 21);

  it('arrive as two listens when the sender held two (an export row at :00 and a replay 45 s later)', async () => {
    await a.capture([play(ids[0]!, minute), play(ids[0]!, minute + 45_000)], tracks, 'second');
    expect((await a.plays()).length).toBe(2);
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    expect(await b.plays()).toEqual(await a.plays());
  });

  it('stay apart on the device holding both when another device sends a third listen 70 s after the minute', async () => {
    await a.capture([play(ids[1]!, minute)], tracks, 'second');
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    // B imports both listens; before B sends them, A captures a third and sends it
    await b.capture([play(ids[0]!, minute), play(ids[0]!, minute + 45_000)], tracks, 'second');
    await a.capture([play(ids[0]!, minute + 70_000)], tracks, 'second');
    await syncDevice(a.deps());
    await syncDevice(b.deps());
    await syncDevice(a.deps());
    const all = [minute, minute + 45_000, minute + 70_000].map((at) => play(ids[0]!, at));
    for (const d of [a, b])
      expect((await d.plays()).filter((p) => p.trackId === ids[0])).toEqual(all);
  });

  it('and account data on one device, the same listen to the second on another, become one', async () => {
    await a.capture([play(ids[0]!, minute)], tracks, 'minute');
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    await b.capture([play(ids[0]!, minute + 37_000)], tracks, 'second');
    await syncDevice(b.deps());
    await syncDevice(a.deps());
    const one = [play(ids[0]!, minute + 37_000)];
    expect(await b.plays()).toEqual(one);
    expect(await a.plays()).toEqual(one);
  });
});

describe('keys', () => {
  it('a device with another key gets "wrong key" and not one row', async () => {
    await fillA();
    await turnOnSync(a.deps());
    await syncDevice(a.deps());
    const c = await new TestDevice(relay).init();
    const e = await failure(joinSync(c.deps(), await keyToCode(newRawKey())));
    expect(e.code).toBe('SYNC_WRONG_KEY');
    expect(await c.plays()).toEqual([]);
    expect(await allSnapshots(c.db, c.accountId)).toEqual([]);
    expect(await loadSyncState(c.db, c.accountId)).toBeNull();
  });

  it('a typo is caught before the server is asked', async () => {
    const code = await keyToCode(newRawKey());
    const e = await failure(
      joinSync(b.deps(), `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`),
    );
    expect(e.code).toBe('SYNC_KEY_TYPO');
    expect(relay.log).toEqual([]);
  });

  it('turning on where a copy exists says so; joining where none exists says so', async () => {
    expect((await failure(joinSync(b.deps(), await keyToCode(newRawKey())))).code).toBe(
      'SYNC_NOTHING_TO_JOIN',
    );
    await fillA();
    await turnOnSync(a.deps());
    await syncDevice(a.deps());
    expect((await failure(turnOnSync(b.deps()))).code).toBe('SYNC_ALREADY_ON');
  });

  it('removing a device: new key, everything resealed, the old generation gone, the old key opens nothing', async () => {
    await fillA();
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    const oldKeys = (await loadSyncState(b.db, b.accountId))!.keys;

    const next = await rotateKey(a.deps());
    expect(next).not.toBe(code);
    await syncDevice(a.deps());
    expect(new Set(relay.all().map((r) => r.epoch))).toEqual(new Set([1]));
    expect(relay.records.size).toBe(RECORDS);
    for (const r of relay.all())
      expect((await failure(openRecord(oldKeys, r))).code).toBe('SYNC_WRONG_KEY');

    // B, still on the old key, is told, and sends nothing under it
    relay.log.length = 0;
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_KEY_CHANGED');
    expect(relay.log.some((l) => l.method === 'PUT')).toBe(false);
    // given the new key, B is back
    const back = await joinSync(b.deps(), next);
    expect(back.received).toBe(RECORDS);
    expect((await b.plays()).length).toBe((await a.plays()).length);
  });

  it('deleting the copy on the server empties it and turns sync off here', async () => {
    await fillA();
    await turnOnSync(a.deps());
    await syncDevice(a.deps());
    expect(await deleteServerCopy(a.deps())).toBe(RECORDS);
    expect(relay.records.size).toBe(0);
    expect(await loadSyncState(a.db, a.accountId)).toBeNull();
    expect((await a.plays()).length).toBe(730 * 3);
  });
});

describe('records that do not check out are never applied', () => {
  async function joinedPair() {
    await fillA();
    const code = await turnOnSync(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), code);
    return (await loadSyncState(a.db, a.accountId))!.keys;
  }

  it('an altered body: tampered, and the month stays as it was', async () => {
    await joinedPair();
    const later = T0 + 731 * DAY + 5_000;
    await a.capture([play(ids[0]!, later)]);
    await syncDevice(a.deps());
    const newest = relay.all().at(-1)!;
    relay.rewrite(newest.id, (r) => ({
      ...r,
      body: `${r.body.slice(0, 60)}${r.body[60] === 'A' ? 'B' : 'A'}${r.body.slice(61)}`,
    }));
    const before = await b.plays();
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_TAMPERED');
    expect(await b.plays()).toEqual(before);
    // and it stays stopped there: the bad record is met again, not skipped
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_TAMPERED');
  });

  it("a body moved under another record's id, or a truncated one: tampered", async () => {
    await joinedPair();
    await a.capture([play(ids[0]!, T0 + 731 * DAY + 5_000)]);
    await a.capture([play(ids[1]!, T0 + 800 * DAY + 5_000)]);
    await syncDevice(a.deps());
    const [x, y] = relay.all().slice(-2);
    relay.rewrite(y!.id, (r) => ({ ...r, body: x!.body }));
    const before = await b.plays();
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_TAMPERED');
    expect((await b.plays()).length).toBeLessThanOrEqual(before.length + 1);
    expect((await b.plays()).some((p) => p.playedAt === T0 + 800 * DAY + 5_000)).toBe(false);

    relay.rewrite(y!.id, (r) => ({ ...r, body: r.body.slice(0, r.body.length - 40) }));
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_TAMPERED');
    expect((await b.plays()).some((p) => p.playedAt === T0 + 800 * DAY + 5_000)).toBe(false);
  });

  it('a record under a newer epoch stops the run; an old generation replayed is set aside and deleted', async () => {
    await joinedPair();
    await a.capture([play(ids[0]!, T0 + 800 * DAY + 5_000)]);
    await syncDevice(a.deps());
    const newest = relay.all().at(-1)!;
    const oldBody = newest.body;
    relay.rewrite(newest.id, (r) => ({ ...r, epoch: 3 }));
    const before = await b.plays();
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_KEY_CHANGED');
    expect(await b.plays()).toEqual(before);

    // a new key (generation 1); then the old month's body comes back under generation 0
    relay.records.delete(newest.id);
    const next = await rotateKey(a.deps());
    await syncDevice(a.deps());
    await joinSync(b.deps(), next);
    relay.records.set(newest.id, { seq: ++relay.seq, id: newest.id, epoch: 0, body: oldBody });
    const held = await b.plays();
    await syncDevice(b.deps());
    expect(await b.plays()).toEqual(held);
    expect(relay.records.has(newest.id)).toBe(false);
  });

  it('a sealed record whose content is wrong is refused whole (a play outside its month)', async () => {
    const keys = await joinedPair();
    const name = `plays/${a.accountId}/2016-03`;
    const bad = await sealRecord(keys, name, {
      ids: [ids[0], ids[1]],
      plays: { at: [Date.UTC(2016, 2, 10), 40 * DAY], track: [0, 1], ms: [1, 1], src: 'ee' },
      snapshots: [],
      tracks: [],
      features: [],
    });
    relay.records.set(bad.id, { seq: ++relay.seq, id: bad.id, epoch: bad.epoch, body: bad.body });
    const before = await b.plays();
    expect((await failure(syncDevice(b.deps()))).code).toBe('SYNC_TAMPERED');
    expect(await b.plays()).toEqual(before);
  });

  it('a month that fails while being written leaves no play of it behind', async () => {
    const before = await b.plays();
    await expect(
      applyReceivedMonth(
        b.db,
        b.accountId,
        {
          plays: [play(ids[0]!, T0 + 5_000), play(ids[1]!, T0 + 9_000)],
          // a snapshot with no id: IndexedDB refuses it after the plays were written
          snapshots: [
            { accountId: b.accountId, takenAt: T0, range: 'short_term', trackIds: [] } as never,
          ],
          tracks: [],
          features: [feature(ids[0]!)],
        },
        () => 0,
      ),
    ).rejects.toThrow();
    expect(await b.plays()).toEqual(before);
    expect((await getFeatures(b.db, [ids[0]!])).size).toBe(0);
  });
});

describe('the relay says no', () => {
  it('unreachable: NETWORK, retryable, and the next run picks up', async () => {
    await fillA();
    await turnOnSync(a.deps());
    relay.reachable = false;
    const e = await failure(syncDevice(a.deps()));
    expect(e.code).toBe('NETWORK');
    expect(e.retryable).toBe(true);
    relay.reachable = true;
    expect((await syncDevice(a.deps()))!.sent).toBe(RECORDS);
  });

  it('quota full and rate limited keep their codes and the wait', async () => {
    await fillA();
    await turnOnSync(a.deps());
    relay.quotaBytes = 10_000;
    expect((await failure(syncDevice(a.deps()))).code).toBe('SYNC_QUOTA_FULL');
    relay.refusals.push({
      status: 429,
      body: { code: 'SYNC_RATE_LIMITED', message: 'slow down' },
      headers: { 'retry-after': '7' },
    });
    const e = await failure(syncDevice(a.deps()));
    expect(e.code).toBe('SYNC_RATE_LIMITED');
    expect(e.retryAfterMs).toBe(7000);
  });
});
