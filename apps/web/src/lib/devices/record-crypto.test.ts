import { describe, expect, it } from 'vitest';
import {
  bucketSize,
  fromBase64Url,
  openRecord,
  sealBytes,
  recordId,
  sealRecord,
  toBase64Url,
  type WireRecord,
} from './record-crypto';
import { deriveKeys, newRawKey } from './sync-key';
import { DeviceSyncError } from './device-sync-error';

const keysOf = async (epoch = 0) => deriveKeys(newRawKey(), epoch);

async function failure(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof DeviceSyncError) return e.code;
    throw e;
  }
  throw new Error('expected a failure');
}

function editBody(r: WireRecord, edit: (b: Uint8Array) => Uint8Array): WireRecord {
  return { ...r, body: toBase64Url(edit(fromBase64Url(r.body)!)) };
}

describe('a sealed record', () => {
  it('opens to the same payload, under an id that does not show its name', async () => {
    const keys = await keysOf();
    const data = { plays: [1, 2, 3], note: 'März 2024 ♫' };
    const r = await sealRecord(keys, 'plays/acc-1/2024-03', data);
    expect(r.id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(r.id).toBe(await recordId(keys, 'plays/acc-1/2024-03'));
    expect(r.body).not.toContain('acc-1');
    expect(await openRecord(keys, r)).toEqual({ name: 'plays/acc-1/2024-03', data });
  });

  it('is padded to a bucket, so its size hides how much it holds', async () => {
    const keys = await keysOf();
    const small = await sealRecord(keys, 'a', { n: 1 });
    const smallish = await sealRecord(keys, 'a', { n: 'x'.repeat(300) });
    expect(small.bytes).toBe(smallish.bytes);
    expect(bucketSize(1025)).toBe(1280);
    expect(bucketSize(100_000)).toBe(114_688);
    for (let n = 1000; n < 900_000; n = Math.ceil(n * 1.37)) {
      expect(bucketSize(n)).toBeGreaterThanOrEqual(n);
      expect(bucketSize(n)).toBeLessThanOrEqual(Math.max(1024, n * 1.25));
    }
  });

  it('seals the same payload to different bytes each time (a fresh IV)', async () => {
    const keys = await keysOf();
    const a = await sealRecord(keys, 'n', { x: 1 });
    const b = await sealRecord(keys, 'n', { x: 1 });
    expect(a.id).toBe(b.id);
    expect(a.body).not.toBe(b.body);
  });

  it('says "wrong key" to a device holding another key', async () => {
    const r = await sealRecord(await keysOf(), 'n', { x: 1 });
    const other = await keysOf();
    expect(await failure(() => openRecord(other, r))).toBe('SYNC_WRONG_KEY');
  });

  it('is refused when altered anywhere, cut short, or moved to another id or epoch', async () => {
    const raw = newRawKey();
    const keys = await deriveKeys(raw, 1);
    const r = await sealRecord(keys, 'plays/acc/2024-01', { x: 1 });
    const other = await sealRecord(keys, 'plays/acc/2024-02', { x: 2 });
    const len = fromBase64Url(r.body)!.length;
    for (const at of [0, 5, 17, 40, len - 20, len - 1]) {
      const flipped = editBody(r, (b) => {
        b[at] = b[at]! ^ 1;
        return b;
      });
      const code = await failure(() => openRecord(keys, flipped));
      expect(['SYNC_TAMPERED', 'SYNC_WRONG_KEY']).toContain(code);
    }
    expect(
      await failure(() =>
        openRecord(
          keys,
          editBody(r, (b) => b.slice(0, len - 1)),
        ),
      ),
    ).toBe('SYNC_TAMPERED');
    expect(
      await failure(() =>
        openRecord(
          keys,
          editBody(r, (b) => b.slice(0, 40)),
        ),
      ),
    ).toBe('SYNC_TAMPERED');
    // the body of one month replayed under another month's id
    expect(await failure(() => openRecord(keys, { ...other, body: r.body }))).toBe('SYNC_TAMPERED');
    // the same key material under another epoch (a replay of an old generation)
    const sameKeyNextEpoch = await deriveKeys(raw, 2);
    expect(await failure(() => openRecord(sameKeyNextEpoch, { ...r, epoch: 2 }))).toBe(
      'SYNC_TAMPERED',
    );
    expect(await failure(() => openRecord(keys, { ...r, body: `${r.body}!` }))).toBe(
      'SYNC_TAMPERED',
    );
  });

  it('is refused when its padding, its length or its own name does not check out', async () => {
    const keys = await keysOf();
    const id = await recordId(keys, 'plays/acc/2024-01');
    const gz = async (v: unknown) =>
      new Uint8Array(
        await new Response(
          new Blob([JSON.stringify(v)]).stream().pipeThrough(new CompressionStream('gzip')),
        ).arrayBuffer(),
      );
    const lay = (packed: Uint8Array, size: number, length = packed.length) => {
      const plain = new Uint8Array(size);
      new DataView(plain.buffer).setUint32(0, length);
      plain.set(packed, 4);
      return plain;
    };
    const open = async (plain: Uint8Array<ArrayBuffer>) =>
      failure(async () =>
        openRecord(keys, { id, epoch: 0, body: toBase64Url(await sealBytes(keys, id, plain)) }),
      );
    const good = await gz({ name: 'plays/acc/2024-01', data: 1 });
    const dirty = lay(good, 1024);
    dirty[1000] = 7;
    expect(await open(dirty)).toBe('SYNC_TAMPERED');
    expect(await open(lay(good, 2048))).toBe('SYNC_TAMPERED'); // not its bucket
    expect(await open(lay(good, 1024, 5000))).toBe('SYNC_TAMPERED'); // longer than it is
    expect(await open(lay(await gz({ name: 'plays/acc/2024-02', data: 1 }), 1024))).toBe(
      'SYNC_TAMPERED',
    );
    expect(await open(lay(new Uint8Array([1, 2, 3]), 1024))).toBe('SYNC_TAMPERED'); // not gzip
    // and the same layout with its own name opens: the checks above are the ones failing
    await expect(
      openRecord(keys, {
        id,
        epoch: 0,
        body: toBase64Url(await sealBytes(keys, id, lay(good, 1024))),
      }),
    ).resolves.toEqual({ name: 'plays/acc/2024-01', data: 1 });
  });

  it('asks for an update when a newer app wrote it', async () => {
    const keys = await keysOf();
    const r = await sealRecord(keys, 'n', { x: 1 });
    const newer = editBody(r, (b) => {
      b[0] = 2;
      return b;
    });
    expect(await failure(() => openRecord(keys, newer))).toBe('SYNC_UPDATE_APP');
  });
});
