import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../sync/sync-error.js';
import type { RecordIn, SyncStore } from '../sync/sync-store.js';

const BIG = 1 << 30;
const ALL = { after: 0, limit: 1000, maxBytes: BIG };

/** A namespace no other test uses, so one store serves the whole suite. */
export function freshNamespace(): string {
  return `acct-${randomBytes(6).toString('hex')}`;
}

export function rec(id: string, body: Buffer | string, epoch = 1): RecordIn {
  return { id, epoch, body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
}

async function refusal(p: Promise<unknown>): Promise<SyncError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof SyncError)) throw new Error(`expected a SyncError, got ${String(e)}`);
  return e;
}

/**
 * The behaviour every SyncStore must have, run against each implementation
 * (sqlite-store.test.ts, postgres-store.test.ts) so the relay cannot tell
 * which one it talks to.
 */
export function syncStoreContract(name: string, store: () => SyncStore): void {
  describe(`SyncStore contract: ${name}`, () => {
    it('stores records and lists them in order, with seqs from 1 and byte-exact bodies', async () => {
      const s = store();
      const ns = freshNamespace();
      expect(await s.status(ns)).toEqual({ records: 0, bytes: 0, cursor: 0, epoch: null });
      expect(await s.put(ns, [rec('b', 'second'), rec('a', 'first', 3)], BIG)).toEqual({
        cursor: 2,
      });
      expect(await s.put(ns, [rec('c', 'third', 2)], BIG)).toEqual({ cursor: 3 });
      const page = await s.list(ns, ALL);
      expect(page.records.map((r) => [r.seq, r.id, r.epoch, r.body.toString()])).toEqual([
        [1, 'b', 1, 'second'],
        [2, 'a', 3, 'first'],
        [3, 'c', 2, 'third'],
      ]);
      expect(page).toMatchObject({ cursor: 3, more: false });
      expect(await s.status(ns)).toEqual({ records: 3, bytes: 16, cursor: 3, epoch: 3 });
    });

    it('keeps namespaces apart: listing, status and deletion see only their own', async () => {
      const s = store();
      const [a, b] = [freshNamespace(), freshNamespace()];
      await s.put(a, [rec('same-id', 'A1'), rec('only-a', 'A2')], BIG);
      await s.put(b, [rec('same-id', 'B1')], BIG);
      expect((await s.list(b, ALL)).records.map((r) => [r.seq, r.body.toString()])).toEqual([
        [1, 'B1'],
      ]);
      expect((await s.status(b)).records).toBe(1);
      expect(await s.deleteAll(a)).toBe(2);
      expect((await s.list(b, ALL)).records.map((r) => r.body.toString())).toEqual(['B1']);
      expect(await s.deleteBelowEpoch(b, 5)).toBe(1);
      expect(await s.deleteAll(freshNamespace())).toBe(0);
    });

    it('pages by count and by bytes, always giving at least one record, and follows a cursor', async () => {
      const s = store();
      const ns = freshNamespace();
      await s.put(
        ns,
        ['r1', 'r2', 'r3', 'r4', 'r5'].map((id) => rec(id, Buffer.alloc(100, id))),
        BIG,
      );
      const first = await s.list(ns, { after: 0, limit: 2, maxBytes: BIG });
      expect(first.records.map((r) => r.seq)).toEqual([1, 2]);
      expect(first).toMatchObject({ cursor: 2, more: true });
      const rest = await s.list(ns, { after: first.cursor, limit: 10, maxBytes: BIG });
      expect(rest.records.map((r) => r.seq)).toEqual([3, 4, 5]);
      expect(rest).toMatchObject({ cursor: 5, more: false });
      // 250 bytes fit two 100-byte bodies, not three
      const byBytes = await s.list(ns, { after: 0, limit: 10, maxBytes: 250 });
      expect(byBytes.records.map((r) => r.seq)).toEqual([1, 2]);
      expect(byBytes.more).toBe(true);
      // a record bigger than the budget still comes alone, so a client always progresses
      const tiny = await s.list(ns, { after: 3, limit: 10, maxBytes: 10 });
      expect(tiny.records.map((r) => r.seq)).toEqual([4]);
      expect(tiny).toMatchObject({ cursor: 4, more: true });
      const end = await s.list(ns, { after: 5, limit: 10, maxBytes: BIG });
      expect(end).toEqual({ records: [], cursor: 5, more: false });
    });

    it('is idempotent per id: the same id, epoch and body again changes nothing', async () => {
      const s = store();
      const ns = freshNamespace();
      const batch = [rec('x', randomBytes(300)), rec('y', randomBytes(20), 4)];
      expect(await s.put(ns, batch, BIG)).toEqual({ cursor: 2 });
      const before = await s.status(ns);
      expect(await s.put(ns, batch, BIG)).toEqual({ cursor: 2 });
      expect(await s.put(ns, [batch[1] as RecordIn], BIG)).toEqual({ cursor: 2 });
      expect(await s.status(ns)).toEqual(before);
      expect((await s.list(ns, ALL)).records.map((r) => r.seq)).toEqual([1, 2]);
    });

    it('replaces a record sent again with another body or epoch, under a new seq', async () => {
      const s = store();
      const ns = freshNamespace();
      await s.put(ns, [rec('keep', 'k'), rec('grow', 'old'), rec('rekey', 'same', 1)], BIG);
      // a device re-encrypting after a rotation puts the same ids under the new epoch
      expect(
        await s.put(ns, [rec('grow', 'new and longer'), rec('rekey', 'same', 2)], BIG),
      ).toEqual({ cursor: 5 });
      const page = await s.list(ns, ALL);
      expect(page.records.map((r) => [r.seq, r.id, r.epoch, r.body.toString()])).toEqual([
        [1, 'keep', 1, 'k'],
        [4, 'grow', 1, 'new and longer'],
        [5, 'rekey', 2, 'same'],
      ]);
      // a device that had seen up to seq 3 gets exactly the two replacements
      expect((await s.list(ns, { ...ALL, after: 3 })).records.map((r) => r.id)).toEqual([
        'grow',
        'rekey',
      ]);
      expect(await s.status(ns)).toEqual({ records: 3, bytes: 1 + 14 + 4, cursor: 5, epoch: 2 });
    });

    it('refuses a PUT that would exceed the quota whole, storing nothing', async () => {
      const s = store();
      const ns = freshNamespace();
      await s.put(ns, [rec('a', Buffer.alloc(60))], 100);
      const before = await s.status(ns);
      const e = await refusal(
        s.put(ns, [rec('b', Buffer.alloc(20)), rec('c', Buffer.alloc(30))], 100),
      );
      expect(e.code).toBe('SYNC_QUOTA_FULL');
      expect(e.status).toBe(413);
      expect(e.details).toEqual({ quotaBytes: 100, usedBytes: 60 });
      expect(await s.status(ns)).toEqual(before);
      expect((await s.list(ns, ALL)).records.map((r) => r.id)).toEqual(['a']);
      // exactly at the quota is allowed; replacing counts the old body's bytes as freed
      expect(await s.put(ns, [rec('b', Buffer.alloc(40))], 100)).toEqual({ cursor: 2 });
      expect(
        await s.put(ns, [rec('a', Buffer.alloc(50)), rec('c', Buffer.alloc(10))], 100),
      ).toEqual({ cursor: 4 });
      expect((await s.status(ns)).bytes).toBe(100);
      // above a lowered quota, shrinking is still allowed and growing is not
      expect(await s.put(ns, [rec('a', Buffer.alloc(45))], 80)).toEqual({ cursor: 5 });
      expect((await refusal(s.put(ns, [rec('d', Buffer.alloc(1))], 80))).code).toBe(
        'SYNC_QUOTA_FULL',
      );
      // a refused first PUT leaves no trace of the namespace at all
      const empty = freshNamespace();
      expect((await refusal(s.put(empty, [rec('z', Buffer.alloc(11))], 10))).details).toEqual({
        quotaBytes: 10,
        usedBytes: 0,
      });
      expect(await s.status(empty)).toEqual({ records: 0, bytes: 0, cursor: 0, epoch: null });
    });

    it('refuses a batch naming one id twice, storing nothing', async () => {
      const s = store();
      const ns = freshNamespace();
      const e = await refusal(s.put(ns, [rec('a', '1'), rec('b', '2'), rec('a', '3')], BIG));
      expect(e.code).toBe('SYNC_BAD_REQUEST');
      expect(e.message).toContain('"a"');
      expect(await s.status(ns)).toEqual({ records: 0, bytes: 0, cursor: 0, epoch: null });
    });

    it('drops older key generations with deleteBelowEpoch, keeping the cursor', async () => {
      const s = store();
      const ns = freshNamespace();
      await s.put(ns, [rec('e0', 'zero', 0), rec('e1', 'one', 1), rec('e2', 'two!', 2)], BIG);
      await s.put(ns, [rec('e1b', 'one more', 1)], BIG);
      expect(await s.deleteBelowEpoch(ns, 2)).toBe(3);
      expect(await s.status(ns)).toEqual({ records: 1, bytes: 4, cursor: 4, epoch: 2 });
      expect((await s.list(ns, ALL)).records.map((r) => r.id)).toEqual(['e2']);
      expect(await s.deleteBelowEpoch(ns, 2)).toBe(0);
      // seqs keep growing: a device whose cursor is 4 still sees what comes next
      expect(await s.put(ns, [rec('e3', 'three', 3)], BIG)).toEqual({ cursor: 5 });
      expect((await s.list(ns, { ...ALL, after: 4 })).records.map((r) => r.seq)).toEqual([5]);
    });

    it('deletes a whole namespace with deleteAll; the seq counter goes on, never reused', async () => {
      const s = store();
      const ns = freshNamespace();
      await s.put(ns, [rec('a', 'aa'), rec('b', 'bb', 7)], BIG);
      expect(await s.deleteAll(ns)).toBe(2);
      expect(await s.status(ns)).toEqual({ records: 0, bytes: 0, cursor: 2, epoch: null });
      expect((await s.list(ns, ALL)).records).toEqual([]);
      expect(await s.put(ns, [rec('a', 'aa')], BIG)).toEqual({ cursor: 3 });
      expect(await s.deleteAll(ns)).toBe(1);
    });

    it('round-trips large and binary bodies byte for byte', async () => {
      const s = store();
      const ns = freshNamespace();
      const every = Buffer.from(Array.from({ length: 256 * 4 }, (_, i) => i % 256));
      const bodies = [randomBytes(1 << 20), every, Buffer.from([0]), randomBytes(70_001)];
      await s.put(
        ns,
        bodies.map((b, i) => rec(`big-${i}`, b)),
        BIG,
      );
      const page = await s.list(ns, ALL);
      expect(page.records.length).toBe(bodies.length);
      page.records.forEach((r, i) => expect(r.body.equals(bodies[i] as Buffer), r.id).toBe(true));
      expect((await s.status(ns)).bytes).toBe(bodies.reduce((n, b) => n + b.length, 0));
    });
  });
}
