import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalPlays, playKey, type Play } from '@mtm/core';
import { FakeRelay } from './test-support/fake-relay';
import { TestDevice, spotifyId, track } from './test-support/devices';
import { joinSync, syncDevice, turnOnSync } from './engine';
import { DeviceSyncError } from './device-sync-error';

const MIN = 60_000;
// listens straddle a UTC month's end, the hard case for batches
const T0 = Date.UTC(2025, 0, 31, 23, 50);
const tracks = [0, 1, 2].map((i) => track(spotifyId(i)));

/** One real listen as the export (to the second) and recently-played (ms, a little off) report it. */
function listen(i: number, recent: boolean, accountId: string): Play {
  const trackId = tracks[i % 3]!.id;
  const end = T0 + i * 10 * MIN + 7_000;
  return recent
    ? {
        accountId,
        playedAt: end + 1_234 + (i % 2 ? 2_000 : -3_000),
        trackId,
        msPlayed: 200_000,
        source: 'recent',
      }
    : { accountId, playedAt: end, trackId, msPlayed: 200_000, source: 'export' };
}

const step = fc.oneof(
  fc.record({
    kind: fc.constant('capture' as const),
    device: fc.integer({ min: 0, max: 2 }),
    listen: fc.integer({ min: 0, max: 9 }),
    recent: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('sync' as const),
    device: fc.integer({ min: 0, max: 2 }),
    dup: fc.boolean(),
    order: fc.array(fc.nat(), { maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant('network' as const), device: fc.integer({ min: 0, max: 2 }) }),
);

/** A delivery order drawn from the test's numbers, and maybe the first record twice. */
function delivery<T>(order: number[], dup: boolean): (page: T[]) => T[] {
  return (page) => {
    const out = [...page];
    order.forEach((k, i) => {
      if (out.length < 2) return;
      const a = i % out.length;
      const b = k % out.length;
      [out[a], out[b]] = [out[b]!, out[a]!];
    });
    return dup && out.length > 0 ? [...out, out[0]!] : out;
  };
}

async function sync(d: TestDevice): Promise<number> {
  try {
    return (await syncDevice(d.deps()))?.sent ?? 0;
  } catch (e) {
    if (e instanceof DeviceSyncError && e.code === 'NETWORK') return 0;
    throw e;
  }
}

describe('three devices through one relay, with the real engine and databases (issue 13)', () => {
  it('converge to the union of every capture, with no loss and no listen twice, whatever the interleaving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 40 }), async (steps) => {
        const relay = new FakeRelay();
        const devices = [0, 1, 2].map(() => new TestDevice(relay));
        for (const d of devices) await d.init();
        const code = await turnOnSync(devices[0]!.deps());
        await syncDevice(devices[0]!.deps());
        for (const d of devices.slice(1)) await joinSync(d.deps(), code);

        const captured: Play[] = [];
        for (const s of steps) {
          const d = devices[s.device]!;
          if (s.kind === 'capture') {
            const p = listen(s.listen, s.recent, d.accountId);
            await d.capture([p], [tracks[s.listen % 3]!]);
            captured.push(p);
          } else if (s.kind === 'network') d.online = !d.online;
          else {
            relay.deliver = delivery(s.order, s.dup);
            await sync(d);
            relay.deliver = (r) => r;
          }
        }
        for (const d of devices) d.online = true;
        let rounds = 0;
        for (; rounds < 10; rounds++) {
          let sent = 0;
          for (const d of devices) sent += await sync(d);
          if (sent === 0) break;
        }
        expect(rounds).toBeLessThan(10);
        for (const d of devices) await sync(d);

        // each captured listen once, as its best row (the export row when any device had it)
        const expected = new Map<string, Play>();
        for (const p of captured) {
          const id = `${p.trackId}@${Math.round((p.playedAt - 7_000 - T0) / (10 * MIN))}`;
          const have = expected.get(id);
          if (!have || (have.source === 'recent' && p.source === 'export')) expected.set(id, p);
        }
        const want = canonicalPlays(expected.values()).map(playKey);
        for (const d of devices) expect((await d.plays()).map(playKey)).toEqual(want);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
