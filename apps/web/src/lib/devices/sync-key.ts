// The sync key: 256 random bits made on the first device, shown once as a
// code to copy or scan, typed on the others. Only the platform's WebCrypto
// touches it. From it HKDF-SHA-256 derives three things, each for one job so
// that no key is ever used twice over:
//   - an AES-256-GCM key that seals record bodies,
//   - an HMAC-SHA-256 key that turns a record's logical name
//     ("plays/acc/2024-03") into the opaque id the server sees,
//   - four "key check" bytes written in clear at the front of every body, so
//     a device holding another key says "wrong key" instead of "tampered".
// The derived keys are non-extractable CryptoKeys, stored as they are (they
// are structured-cloneable) in IndexedDB; the raw bits are dropped once the
// code has been shown, so a script running in the page later can use the
// keys but never read them out.
//
// The code: the 32 key bytes and 3 bytes of their SHA-256 (a typo is caught
// before anything is asked of the server; a wrong but well-formed key is
// caught by the key check), in Crockford's base32 (no I, L, O or U; a typed
// O reads as 0, an I or L as 1): 56 characters in 14 groups of 4.
import { DeviceSyncError } from './device-sync-error';

export const KEY_BYTES = 32;
const CHECKSUM_BYTES = 3;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = ((KEY_BYTES + CHECKSUM_BYTES) * 8) / 5;

export interface SyncKeys {
  /** The key generation: 0 for the first key, +1 at each removal of a device. */
  epoch: number;
  /** Seals and opens record bodies (AES-256-GCM). */
  seal: CryptoKey;
  /** Names records (HMAC-SHA-256). */
  name: CryptoKey;
  /** Four bytes, hex: the same on every device holding this key. */
  check: string;
}

const utf8 = new TextEncoder();

export function newRawKey(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

async function checksum(raw: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', raw));
  return digest.subarray(0, CHECKSUM_BYTES);
}

function toBase32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(acc << (5 - bits)) & 31];
  return out;
}

/** Crockford's reading: case-free, O as 0, I and L as 1. */
function valueOf(ch: string): number {
  const c = ch.toUpperCase().replace('O', '0').replace(/[IL]/, '1');
  return ALPHABET.indexOf(c);
}

/** The code a person copies: groups of four, dash-separated. */
export async function keyToCode(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  if (raw.length !== KEY_BYTES) throw new RangeError(`a sync key is ${KEY_BYTES} bytes`);
  const all = new Uint8Array(KEY_BYTES + CHECKSUM_BYTES);
  all.set(raw);
  all.set(await checksum(raw), KEY_BYTES);
  return toBase32(all).match(/.{4}/g)!.join('-');
}

/**
 * The key in a typed, pasted or scanned code. Spaces, dashes and case do not
 * matter; anything else wrong is SYNC_KEY_TYPO, before the server is asked.
 */
export async function codeToKey(code: string): Promise<Uint8Array<ArrayBuffer>> {
  const chars = code.replace(/[\s-]/g, '');
  if (chars.length !== CODE_LENGTH)
    throw new DeviceSyncError(
      'SYNC_KEY_TYPO',
      `a sync key is ${CODE_LENGTH} letters and digits; this has ${chars.length}`,
    );
  const out = new Uint8Array(KEY_BYTES + CHECKSUM_BYTES);
  let acc = 0;
  let bits = 0;
  let n = 0;
  for (const ch of chars) {
    const v = valueOf(ch);
    if (v < 0) throw new DeviceSyncError('SYNC_KEY_TYPO', 'a sync key has no such character');
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 255;
    }
    acc &= (1 << bits) - 1;
  }
  const raw = out.slice(0, KEY_BYTES);
  const sum = await checksum(raw);
  if (sum.some((b, i) => b !== out[KEY_BYTES + i]))
    throw new DeviceSyncError(
      'SYNC_KEY_TYPO',
      'the sync key does not add up: a character is wrong',
    );
  return raw;
}

const hkdf = (info: string) => ({
  name: 'HKDF',
  hash: 'SHA-256',
  // the input is 256 uniformly random bits, so no salt is needed to extract them
  salt: new Uint8Array(32),
  info: utf8.encode(`music-time-machine sync v1 ${info}`),
});

/** The keys derived from a raw key, all non-extractable. */
export async function deriveKeys(raw: Uint8Array<ArrayBuffer>, epoch: number): Promise<SyncKeys> {
  if (raw.length !== KEY_BYTES) throw new RangeError(`a sync key is ${KEY_BYTES} bytes`);
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new RangeError('an epoch is a whole number >= 0');
  const base = await crypto.subtle.importKey('raw', raw, 'HKDF', false, [
    'deriveKey',
    'deriveBits',
  ]);
  const [seal, name, check] = await Promise.all([
    crypto.subtle.deriveKey(hkdf('records'), base, { name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]),
    crypto.subtle.deriveKey(
      hkdf('record names'),
      base,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    ),
    crypto.subtle.deriveBits(hkdf('key check'), base, 32),
  ]);
  return { epoch, seal, name, check: toHex(new Uint8Array(check)) };
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
