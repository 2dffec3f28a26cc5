// One record, from a JSON payload to the bytes the relay keeps, and back.
//
//   body = version (1 byte) | key check (4) | IV (12) | AES-256-GCM(plaintext) + tag (16)
//   plaintext = length of the gzip (4 bytes, big-endian) | gzip(JSON) | zeros up to a bucket
//   additional data = "mtm-sync" | record id | epoch | version | key check
//
// Why each part:
// - The id is an HMAC of the record's logical name, so the server sees
//   neither "plays/<account>/2024-03" nor which month a record is.
// - The additional data binds the ciphertext to its id and epoch: a body
//   copied under another record's id, or replayed under another epoch, fails
//   the tag. The JSON also carries its own name, which must hash to the id.
// - Compressing before sealing (encrypted bytes do not compress), then
//   padding to a bucket so a record's size says little about how many plays
//   it holds: buckets are four per doubling from 1 KB (1, 1.25, 1.5, 1.75,
//   2 KB, ...), at most a quarter more bytes and about a tenth on average. A
//   plain power of two would cost up to twice the bytes for two more bits
//   hidden.
// - A fresh random 96-bit IV per seal: with one key, ~2^32 seals stay far
//   within GCM's bounds, and a diary seals a few hundred records a day at most.
// - The key check is derived from the key (sync-key.ts): a device with another
//   key learns "wrong key" at once, before any decryption, while a body altered
//   on the way is "tampered". Neither is ever applied.
import { DeviceSyncError } from './device-sync-error';
import type { SyncKeys } from './sync-key';
import { toHex } from './sync-key';

export const RECORD_VERSION = 1;
const HEADER_BYTES = 1 + 4 + 12;
const TAG_BYTES = 16;
const MIN_BUCKET = 1024;
/** The relay's limit on one body, decoded (apps/server protocol.ts). */
export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_PLAINTEXT = MAX_BODY_BYTES - HEADER_BYTES - TAG_BYTES;
/** A payload that inflates beyond this is refused, however it was sealed. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
/** Record ids: 32 base64url characters of HMAC-SHA-256, 192 bits. */
const ID_CHARS = 32;

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

export interface WireRecord {
  id: string;
  epoch: number;
  /** base64url, no padding */
  body: string;
}

export interface OpenedRecord<T = unknown> {
  name: string;
  data: T;
}

/** The padded size for `n` plaintext bytes. */
export function bucketSize(n: number): number {
  if (n <= MIN_BUCKET) return MIN_BUCKET;
  const pow = 2 ** Math.floor(Math.log2(n));
  for (const m of [1, 1.25, 1.5, 1.75, 2])
    if (pow * m >= n) return Math.min(pow * m, MAX_PLAINTEXT);
  return MAX_PLAINTEXT;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The id the relay sees for a logical name, under these keys. */
export async function recordId(keys: SyncKeys, name: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.name, utf8.encode(name));
  return toBase64Url(new Uint8Array(mac)).slice(0, ID_CHARS);
}

async function pipe(
  bytes: Uint8Array<ArrayBuffer>,
  stream: GenericTransformStream,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Blob([bytes])
    .stream()
    .pipeThrough(stream as TransformStream<Uint8Array, Uint8Array>);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

/** Inflates, stopping (and throwing) once more than `limit` bytes came out. */
async function gunzip(
  bytes: Uint8Array<ArrayBuffer>,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const reader = new Blob([bytes])
    .stream()
    .pipeThrough(new DecompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>)
    .getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error('the payload inflates beyond its limit');
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function additionalData(id: string, epoch: number, header: Uint8Array): Uint8Array<ArrayBuffer> {
  const text = utf8.encode(`mtm-sync\u0000${id}\u0000${epoch}\u0000`);
  const out = new Uint8Array(text.length + header.length);
  out.set(text);
  out.set(header, text.length);
  return out;
}

function checkBytes(keys: SyncKeys): Uint8Array {
  return Uint8Array.from(keys.check.match(/../g)!, (h) => parseInt(h, 16));
}

export interface SealedRecord extends WireRecord {
  /** Bytes of the body once decoded: what the relay stores and counts. */
  bytes: number;
}

/** The body for a plaintext already laid out (length, gzip, padding); tests seal odd ones. */
export async function sealBytes(
  keys: SyncKeys,
  id: string,
  plain: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const header = new Uint8Array(5);
  header[0] = RECORD_VERSION;
  header.set(checkBytes(keys), 1);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(id, keys.epoch, header) },
      keys.seal,
      plain,
    ),
  );
  const body = new Uint8Array(HEADER_BYTES + sealed.length);
  body.set(header);
  body.set(iv, 5);
  body.set(sealed, HEADER_BYTES);
  return body;
}

/** Seals one payload under its logical name. */
export async function sealRecord(
  keys: SyncKeys,
  name: string,
  data: unknown,
): Promise<SealedRecord> {
  const id = await recordId(keys, name);
  const packed = await pipe(
    utf8.encode(JSON.stringify({ name, data })),
    new CompressionStream('gzip'),
  );
  if (4 + packed.length > MAX_PLAINTEXT)
    throw new DeviceSyncError(
      'SYNC_BODY_TOO_LARGE',
      `a record of ${packed.length} compressed bytes is over the relay's ${MAX_BODY_BYTES}`,
    );
  const plain = new Uint8Array(bucketSize(4 + packed.length));
  new DataView(plain.buffer).setUint32(0, packed.length);
  plain.set(packed, 4);
  const body = await sealBytes(keys, id, plain);
  return { id, epoch: keys.epoch, body: toBase64Url(body), bytes: body.length };
}

const tampered = (why: string, cause?: unknown) =>
  new DeviceSyncError('SYNC_TAMPERED', `a record failed its check: ${why}`, { cause });

/**
 * Opens a record the relay returned (the caller has already set aside
 * records of other epochs: see engine.ts). Throws SYNC_WRONG_KEY when it was sealed
 * with another key, SYNC_UPDATE_APP for a newer format, and SYNC_TAMPERED for
 * anything else that does not check out; the caller applies nothing then.
 */
export async function openRecord<T = unknown>(
  keys: SyncKeys,
  record: WireRecord,
): Promise<OpenedRecord<T>> {
  const body = fromBase64Url(record.body);
  if (!body) throw tampered('its body is not base64url');
  if (body.length < HEADER_BYTES + TAG_BYTES + MIN_BUCKET) throw tampered('it is cut short');
  if (body[0] !== RECORD_VERSION)
    throw body[0]! > RECORD_VERSION
      ? new DeviceSyncError('SYNC_UPDATE_APP', `record format ${body[0]} is newer than this app's`)
      : tampered(`unknown format ${body[0]}`);
  if (toHex(body.subarray(1, 5)) !== keys.check)
    throw new DeviceSyncError('SYNC_WRONG_KEY', 'the record was sealed with another key');
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(
      await crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: body.subarray(5, HEADER_BYTES),
          additionalData: additionalData(record.id, record.epoch, body.subarray(0, 5)),
        },
        keys.seal,
        body.subarray(HEADER_BYTES),
      ),
    );
  } catch (e) {
    throw tampered('its tag does not match (altered, moved to another id or epoch)', e);
  }
  const length = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
  if (4 + length > plain.length || plain.length !== bucketSize(4 + length))
    throw tampered('its padding is not the size its length says');
  for (let i = 4 + length; i < plain.length; i++)
    if (plain[i] !== 0) throw tampered('its padding is not zeros');
  let payload: unknown;
  try {
    const json = await gunzip(plain.slice(4, 4 + length), MAX_JSON_BYTES);
    payload = JSON.parse(fromUtf8.decode(json));
  } catch (e) {
    throw tampered('its payload is not compressed JSON', e);
  }
  const { name, data } = (payload ?? {}) as { name?: unknown; data?: unknown };
  if (typeof name !== 'string' || (await recordId(keys, name)) !== record.id)
    throw tampered('its name is not the one its id was made from');
  return { name, data: data as T };
}
