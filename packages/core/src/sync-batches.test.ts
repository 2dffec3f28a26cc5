import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { playKey } from './history-import-merge.js';
import {
  batchPlays,
  batchToUpload,
  canonicalPlays,
  batchKeyFor,
  monthBatchKey,
  playBatchKey,
  receiveBatch,
} from './sync-batches.js';
import type { Play } from './types.js';

const ACC = 'acc';
const MIN = 60_000;
// batches around a week's end (Sunday 2 February 2025, 23:50 UTC), the hard case
const T0 = Date.UTC(2025, 1, 2, 23, 50);

/**
 * One real listen, as each source reports it: the export row (to the second)
 * and the recently-played row (to the millisecond, a few seconds off). Listens
 * of a track are 10 minutes apart, so which rows are one listen is unambiguous.
 */
function listen(i: number): { exported: Play; recent: Play } {
  const trackId = `t${i % 3}`;
  const end = T0 + i * 10 * MIN + 7_000;
  return {
    exported: { accountId: ACC, playedAt: end, trackId, msPlayed: 200_000, source: 'export' },
    recent: {
      accountId: ACC,
      playedAt: end + 1_234 + (i % 2 ? 2_000 : -3_000),
      trackId,
      msPlayed: 200_000,
      source: 'recent',
    },
  };
}

class Device {
  plays = new Map<string, Play>();
  /** The relay's copy of each batch as this device last saw it. */
  seen = new Map<string, Play[]>();
  cursor = 0;
  online = true;

  capture(p: Play): void {
    const { add, remove } = receiveBatch([...this.plays.values()], [p]);
    this.apply(add, remove);
  }

  apply(add: Play[], remove: Play[]): void {
    for (const p of remove) this.plays.delete(playKey(p));
    for (const p of add) this.plays.set(playKey(p), p);
  }
}

class Relay {
  seq = 0;
  batches = new Map<string, { seq: number; plays: Play[] }>();
  put(key: string, plays: Play[]): void {
    this.batches.set(key, { seq: ++this.seq, plays });
  }
  after(cursor: number): { key: string; seq: number; plays: Play[] }[] {
    return [...this.batches]
      .filter(([, b]) => b.seq > cursor)
      .map(([key, b]) => ({ key, ...b }))
      .sort((a, b) => a.seq - b.seq);
  }
}

/** One sync of a device: download (possibly duplicated and reordered), then upload. */
function sync(d: Device, relay: Relay, shuffle: (n: number) => number[], dup: boolean): number {
  if (!d.online) return 0;
  const incoming = relay.after(d.cursor);
  const delivered = [...incoming, ...(dup ? incoming.slice(0, 1) : [])];
  for (const i of shuffle(delivered.length)) {
    const r = delivered[i]!;
    const { add, remove } = receiveBatch([...d.plays.values()], r.plays);
    d.apply(add, remove);
    d.seen.set(r.key, r.plays);
  }
  d.cursor = Math.max(d.cursor, ...incoming.map((r) => r.seq));
  let uploads = 0;
  for (const [key, local] of batchPlays(d.plays.values())) {
    const next = batchToUpload(local, d.seen.get(key));
    if (!next) continue;
    relay.put(key, next);
    d.seen.set(key, next);
    uploads++;
  }
  return uploads;
}

/** Two plays the merge rule counts as one listen must never both be held. */
function sameListenPairs(plays: Play[]): number {
  let pairs = 0;
  const sorted = canonicalPlays(plays);
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length && sorted[j]!.playedAt - sorted[i]!.playedAt < MIN; j++)
      if (sorted[j]!.trackId === sorted[i]!.trackId) pairs++;
  return pairs;
}

describe('playBatchKey and batchPlays', () => {
  it('cut by account and UTC week, Monday to Sunday, in canonical order', () => {
    const at = (y: number, m: number, d: number, h = 0, min = 0) =>
      playBatchKey({ accountId: ACC, playedAt: Date.UTC(y, m - 1, d, h, min) });
    // Monday 2024-06-10 to Sunday 2024-06-16, to the last minute
    expect(at(2024, 6, 10)).toBe('plays/acc/2024-06-10');
    expect(at(2024, 6, 16, 23, 59)).toBe('plays/acc/2024-06-10');
    expect(at(2024, 6, 17)).toBe('plays/acc/2024-06-17');
    expect(at(2024, 6, 9, 23, 59)).toBe('plays/acc/2024-06-03');
    // across a year's end, and before 1970's first Monday
    expect(at(2025, 1, 1)).toBe('plays/acc/2024-12-30');
    expect(at(1970, 1, 1)).toBe('plays/acc/1969-12-29');
    // every batch is seven whole days: each of 800 days is in its Monday's week
    for (let i = 0; i < 800; i++) {
      const t = Date.UTC(2006, 0, 1) + i * 86_400_000 + 12 * 3_600_000;
      const monday = Date.parse(playBatchKey({ accountId: ACC, playedAt: t }).slice(-10));
      expect(new Date(monday).getUTCDay()).toBe(1);
      expect(t - monday).toBeGreaterThanOrEqual(0);
      expect(t - monday).toBeLessThan(7 * 86_400_000);
    }
  });

  it('reads names of the first layout by their month', () => {
    const p = { accountId: ACC, playedAt: Date.UTC(2025, 0, 31, 23, 59) };
    expect(monthBatchKey(p)).toBe('plays/acc/2025-01');
    expect(batchKeyFor('plays/acc/2025-01')(p)).toBe('plays/acc/2025-01');
    expect(batchKeyFor('plays/acc/2025-01-27')(p)).toBe('plays/acc/2025-01-27');
  });

  it('groups plays by batch, in canonical order', () => {
    const a = {
      accountId: ACC,
      playedAt: Date.UTC(2025, 0, 31, 23, 59),
      trackId: 'b',
      msPlayed: 1,
      source: 'export',
    } as const;
    // Friday 31 January and Monday 3 February 2025: two weeks
    const b = { ...a, playedAt: Date.UTC(2025, 1, 3, 0, 1) };
    const c = { ...a, trackId: 'a' };
    const batches = batchPlays([b, a, c]);
    expect([...batches.keys()].sort()).toEqual(['plays/acc/2025-01-27', 'plays/acc/2025-02-03']);
    expect(batches.get('plays/acc/2025-01-27')!.map((p) => p.trackId)).toEqual(['a', 'b']);
  });
});

describe('batchToUpload', () => {
  it('writes nothing when the relay already holds every play, else the union', () => {
    const { exported: x } = listen(1);
    const { exported: y } = listen(2);
    expect(batchToUpload([x], [x, y])).toBeNull();
    expect(batchToUpload([x, y], [x])).toEqual(canonicalPlays([x, y]));
    expect(batchToUpload([y], undefined)).toEqual([y]);
  });
});

describe('three devices syncing through one relay (issue 13)', () => {
  it('converge to the union of every capture, with no loss and no listen twice, whatever the interleaving', () => {
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('capture' as const),
        device: fc.integer({ min: 0, max: 2 }),
        listen: fc.integer({ min: 0, max: 11 }),
        recent: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('sync' as const),
        device: fc.integer({ min: 0, max: 2 }),
        dup: fc.boolean(),
        order: fc.array(fc.nat(), { maxLength: 8 }),
      }),
      fc.record({ kind: fc.constant('network' as const), device: fc.integer({ min: 0, max: 2 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const relay = new Relay();
        const devices = [new Device(), new Device(), new Device()];
        const captured: Play[] = [];
        for (const s of steps) {
          const d = devices[s.device]!;
          if (s.kind === 'capture') {
            const l = listen(s.listen);
            const p = s.recent ? l.recent : l.exported;
            d.capture(p);
            captured.push(p);
          } else if (s.kind === 'network') d.online = !d.online;
          else {
            // a delivery order drawn from the test's numbers
            const shuffle = (n: number) => {
              const idx = Array.from({ length: n }, (_, i) => i);
              s.order.forEach((k, i) => {
                if (n < 2) return;
                const a = i % n;
                const b = k % n;
                [idx[a], idx[b]] = [idx[b]!, idx[a]!];
              });
              return idx;
            };
            sync(d, relay, shuffle, s.dup);
          }
        }
        // everyone back online; sync until nobody writes (bounded)
        for (const d of devices) d.online = true;
        let rounds = 0;
        for (; rounds < 10; rounds++) {
          let wrote = 0;
          for (const d of devices) wrote += sync(d, relay, (n) => [...Array(n).keys()], false);
          if (wrote === 0) break;
        }
        expect(rounds).toBeLessThan(10);
        for (const d of devices) sync(d, relay, (n) => [...Array(n).keys()], false);

        // expected: each captured listen once, as its best row (the export row when any device had it)
        const expected = new Map<string, Play>();
        for (const p of captured) {
          const id = `${p.trackId}@${Math.round((p.playedAt - 7_000 - T0) / (10 * MIN))}`;
          const have = expected.get(id);
          if (!have || (have.source === 'recent' && p.source === 'export')) expected.set(id, p);
        }
        const want = canonicalPlays(expected.values()).map(playKey);
        for (const d of devices) {
          const held = canonicalPlays(d.plays.values());
          expect(held.map(playKey)).toEqual(want);
          expect(sameListenPairs(held)).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
