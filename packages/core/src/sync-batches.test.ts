import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exactKey, mergePlays, playKey } from './history-import-merge.js';
import {
  batchPlays,
  batchToUpload,
  canonicalPlays,
  batchKeyFor,
  exactPlays,
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

/**
 * Two listens of one track in the extended history, the first ending exactly
 * on a minute and the second `gap` seconds later (off the minute, and more
 * than 20 s, so each recently-played row is near one of them only): the
 * whole-minute row reads as account data, whose window reaches 80 s on.
 * Four minutes after listen `j`'s slot, so far from every other listen, and
 * never across a week's end (see the header of sync-batches.ts).
 */
function pair(j: number, gap: number): { exported: Play; recent: Play }[] {
  const trackId = `t${j % 3}`;
  const minute = T0 + j * 10 * MIN + 4 * MIN;
  return [minute, minute + gap * 1_000].map((end, k) => ({
    exported: { accountId: ACC, playedAt: end, trackId, msPlayed: 40_000, source: 'export' },
    recent: {
      accountId: ACC,
      playedAt: end + (k ? 2_345 : -1_500),
      trackId,
      msPlayed: 40_000,
      source: 'recent',
    },
  }));
}

/** A batch on the relay: its plays, and the sender's word on which of them are exact. */
interface Batch {
  plays: Play[];
  exact: Set<string>;
}

class Device {
  plays = new Map<string, Play>();
  /** The relay's copy of each batch as this device last saw it. */
  seen = new Map<string, Batch>();
  cursor = 0;
  online = true;

  capture(p: Play): void {
    const { add, remove } = receiveBatch([...this.plays.values()], [p]);
    this.apply(add, remove);
  }

  /** An extended-history import: the file kind says every row is to the second. */
  importExtended(plays: Play[]): void {
    const { add, remove } = mergePlays([...this.plays.values()], plays, {
      incomingPrecision: 'second',
    });
    this.apply(add, remove);
  }

  apply(add: Play[], remove: Play[]): void {
    for (const p of remove) this.plays.delete(playKey(p));
    for (const p of add) this.plays.set(playKey(p), p);
  }
}

class Relay {
  seq = 0;
  batches = new Map<string, { seq: number } & Batch>();
  put(key: string, batch: Batch): void {
    this.batches.set(key, { seq: ++this.seq, ...batch });
  }
  after(cursor: number): ({ key: string; seq: number } & Batch)[] {
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
    const { add, remove } = receiveBatch([...d.plays.values()], r.plays, r.exact);
    d.apply(add, remove);
    d.seen.set(r.key, { plays: r.plays, exact: r.exact });
  }
  d.cursor = Math.max(d.cursor, ...incoming.map((r) => r.seq));
  let uploads = 0;
  // the device's word on its plays, as the web client sends it with each batch
  const mine = exactPlays(d.plays.values());
  for (const [key, local] of batchPlays(d.plays.values())) {
    const seen = d.seen.get(key);
    const next = batchToUpload(local, seen?.plays);
    if (!next) continue;
    const word = new Set([...(seen?.exact ?? []), ...mine]);
    const batch = { plays: next, exact: new Set(next.map(exactKey).filter((k) => word.has(k))) };
    relay.put(key, batch);
    d.seen.set(key, batch);
    uploads++;
  }
  return uploads;
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

describe('exactPlays and receiveBatch: listens to the second that end on a whole minute', () => {
  const [first, second] = pair(1, 45).map((l) => l.exported);
  const minute = first!.playedAt;

  it('a whole-minute export play held beside a listen to the second within its window is exact', () => {
    expect(exactPlays([first!, second!])).toEqual(new Set([exactKey(first!)]));
    const late = { ...second!, playedAt: minute + 81_000 };
    const early = { ...second!, playedAt: minute - 21_000 };
    expect(exactPlays([first!, late])).toEqual(new Set());
    expect(exactPlays([first!, early])).toEqual(new Set());
    expect(exactPlays([first!, { ...early, playedAt: minute - 20_000 }])).toEqual(
      new Set([exactKey(first!)]),
    );
    // a recently-played neighbour, another track or another account proves nothing
    expect(exactPlays([first!, { ...second!, source: 'recent' }])).toEqual(new Set());
    expect(exactPlays([first!, { ...second!, trackId: 'other' }])).toEqual(new Set());
    expect(exactPlays([first!, { ...second!, accountId: 'other' }])).toEqual(new Set());
  });

  it('two rows that both end on a minute (account data, a minute apart) are left as they read', () => {
    expect(exactPlays([first!, { ...first!, playedAt: minute + MIN }])).toEqual(new Set());
  });

  it("keeps both listens, on the sender's word or on the receiver's own", () => {
    // the sender held both: the receiver, holding the later one, keeps the first too
    expect(receiveBatch([second!], [first!, second!], new Set([exactKey(first!)]))).toEqual({
      add: [first],
      remove: [],
    });
    // and, holding the whole-minute one, takes the later one beside it
    expect(receiveBatch([first!], [first!, second!], new Set([exactKey(first!)]))).toEqual({
      add: [second],
      remove: [],
    });
    // the receiver holds both: a third listen 70 s after the minute replaces neither
    const third = { ...second!, playedAt: minute + 70_000 };
    expect(receiveBatch([first!, second!], [third])).toEqual({ add: [third], remove: [] });
    // without a word, a whole-minute row is account data: the same listen as one 37 s later
    expect(receiveBatch([first!], [{ ...second!, playedAt: minute + 37_000 }]).remove).toEqual([
      first,
    ]);
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
      // an extended-history import holding both listens of a pair, or the
      // recently-played row of one of them
      fc.record({
        kind: fc.constant('pair' as const),
        device: fc.integer({ min: 0, max: 2 }),
        pair: fc.integer({ min: 0, max: 3 }),
        recent: fc.constantFrom(null, 0, 1),
      }),
    );
    const gaps = fc.array(
      fc.integer({ min: 21, max: 79 }).filter((s) => s !== 60),
      { minLength: 4, maxLength: 4 },
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), gaps, (steps, gap) => {
        const relay = new Relay();
        const devices = [new Device(), new Device(), new Device()];
        const captured: Play[] = [];
        /** Which real listen each captured row is. */
        const listenOf = new Map<string, string>();
        const note = (p: Play, id: string) => {
          captured.push(p);
          listenOf.set(playKey(p), id);
        };
        for (const s of steps) {
          const d = devices[s.device]!;
          if (s.kind === 'capture') {
            const l = listen(s.listen);
            const p = s.recent ? l.recent : l.exported;
            d.capture(p);
            note(p, `listen ${s.listen}`);
          } else if (s.kind === 'pair') {
            const both = pair(s.pair, gap[s.pair]!);
            if (s.recent === null) {
              d.importExtended(both.map((l) => l.exported));
              both.forEach((l, k) => note(l.exported, `pair ${s.pair}.${k}`));
            } else {
              const p = both[s.recent]!.recent;
              d.capture(p);
              note(p, `pair ${s.pair}.${s.recent}`);
            }
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
          const id = listenOf.get(playKey(p))!;
          const have = expected.get(id);
          if (!have || (have.source === 'recent' && p.source === 'export')) expected.set(id, p);
        }
        const want = canonicalPlays(expected.values()).map(playKey);
        for (const d of devices) {
          const held = canonicalPlays(d.plays.values());
          expect(held.map(playKey)).toEqual(want);
          // no listen twice, whatever rows it came as
          const listens = held.map((p) => listenOf.get(playKey(p)));
          expect(new Set(listens).size).toBe(held.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
