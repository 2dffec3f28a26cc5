import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Authenticated encryption of small JSON values for cookies: AES-256-GCM from
 * node:crypto (no native addon to install), with a fresh 96-bit IV per seal.
 * The purpose string is bound as additional data, so a value sealed for one
 * purpose (say the session cookie) cannot be replayed as another.
 */
export interface Sealer {
  seal(value: unknown): string;
  /** null for anything not sealed by this key and purpose: tampered, truncated, foreign key, old format */
  unseal(sealed: string): unknown;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Separate keys for separate uses, all derived from the one configured SESSION_KEY. */
export function deriveKey(master: Buffer, use: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `mtm ${use}`, 32));
}

export function createSealer(master: Buffer, purpose: string): Sealer {
  if (master.length < 32) throw new Error('createSealer: the key must have at least 32 bytes');
  const key = deriveKey(master, `seal ${purpose}`);
  const aad = Buffer.from(`${VERSION}:${purpose}`);
  return {
    seal(value) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    unseal(sealed) {
      if (typeof sealed !== 'string' || !sealed.startsWith(`${VERSION}.`)) return null;
      const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64url');
      if (raw.length <= IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(aad);
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]);
        return JSON.parse(plain.toString('utf8')) as unknown;
      } catch {
        return null;
      }
    },
  };
}
