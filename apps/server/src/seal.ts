import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of small JSON values for cookies: AES-256-GCM from
 * node:crypto (no native addon to install), with a fresh 96-bit IV per seal.
 * The purpose string is bound as additional data, so a value sealed for one
 * purpose (say the session cookie) cannot be replayed as another.
 *
 * Keys come as a list, newest first, so SESSION_KEY can be rotated without
 * signing everyone out: values are sealed with the newest key only, and each
 * sealed value names its key by an id, so opening one is a single decryption
 * whatever the list holds. The id is a few bytes of an HKDF output of the key:
 * it says which key, and nothing about the key.
 *
 *   v2.<key id>.<base64url(iv | tag | ciphertext)>   additional data "v2:<key id>:<purpose>"
 *   v1.<base64url(iv | tag | ciphertext)>            before key ids; still opened (tried
 *                                                    with each key), never written
 */
export interface Sealer {
  seal(value: unknown): string;
  /** null for anything not sealed by one of these keys for this purpose: tampered, truncated, foreign key */
  unseal(sealed: string): unknown;
  /** The value, and whether the newest key sealed it (when not, seal it again to finish a rotation). */
  open(sealed: string): { value: unknown; current: boolean } | null;
}

const VERSION = 'v2';
const LEGACY = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID_BYTES = 6;
export const MIN_KEY_BYTES = 32;

/** Separate keys for separate uses, all derived from the one configured SESSION_KEY. */
export function deriveKey(master: Buffer, use: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `mtm ${use}`, 32));
}

/** A short public name for a key (8 base64url characters), safe to log and to put in a cookie. */
export function keyId(master: Buffer): string {
  return deriveKey(master, 'key id').subarray(0, KEY_ID_BYTES).toString('base64url');
}

/** The list form of a key option, checked: at least one key, each long enough, none twice. */
export function keyList(keys: Buffer | readonly Buffer[], who: string): Buffer[] {
  const list = Buffer.isBuffer(keys) ? [keys] : Array.isArray(keys) ? [...keys] : [];
  if (list.length === 0) throw new Error(`${who}: needs at least one key`);
  const ids = new Set<string>();
  for (const k of list) {
    if (!Buffer.isBuffer(k) || k.length < MIN_KEY_BYTES)
      throw new Error(`${who}: each key must be a Buffer of at least ${MIN_KEY_BYTES} bytes`);
    const id = keyId(k);
    if (ids.has(id)) throw new Error(`${who}: the same key is listed twice`);
    ids.add(id);
  }
  return list;
}

function decrypt(key: Buffer, aad: Buffer, raw: Buffer): { value: unknown } | null {
  if (raw.length <= IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
    return { value: JSON.parse(plain.toString('utf8')) as unknown };
  } catch {
    return null;
  }
}

export function createSealer(masters: Buffer | readonly Buffer[], purpose: string): Sealer {
  const keys = keyList(masters, 'createSealer').map((m) => ({
    id: keyId(m),
    key: deriveKey(m, `seal ${purpose}`),
  }));
  const newest = keys[0] as (typeof keys)[number];
  const aadFor = (id: string) => Buffer.from(`${VERSION}:${id}:${purpose}`);
  const legacyAad = Buffer.from(`${LEGACY}:${purpose}`);

  function open(sealed: string): { value: unknown; current: boolean } | null {
    if (typeof sealed !== 'string') return null;
    if (sealed.startsWith(`${VERSION}.`)) {
      const rest = sealed.slice(VERSION.length + 1);
      const dot = rest.indexOf('.');
      const k = dot > 0 ? keys.find((x) => x.id === rest.slice(0, dot)) : undefined;
      if (k === undefined) return null;
      const opened = decrypt(k.key, aadFor(k.id), Buffer.from(rest.slice(dot + 1), 'base64url'));
      return opened && { value: opened.value, current: k === newest };
    }
    if (sealed.startsWith(`${LEGACY}.`)) {
      const raw = Buffer.from(sealed.slice(LEGACY.length + 1), 'base64url');
      for (const k of keys) {
        const opened = decrypt(k.key, legacyAad, raw);
        if (opened) return { value: opened.value, current: false };
      }
    }
    return null;
  }

  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', newest.key, iv);
      cipher.setAAD(aadFor(newest.id));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      const raw = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
      return `${VERSION}.${newest.id}.${raw}`;
    },
    open,
    unseal(sealed) {
      return open(sealed)?.value ?? null;
    },
  };
}
