import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer, deriveKey, keyId } from './seal.js';

/** The body of a v2 value: what follows "v2.<key id>.". */
function body(sealed: string): Buffer {
  return Buffer.from(sealed.split('.')[2] ?? '', 'base64url');
}

/** A value as the sealer wrote it before key ids (v1), for the upgrade path. */
function sealV1(master: Buffer, purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', deriveKey(master, `seal ${purpose}`), iv);
  cipher.setAAD(Buffer.from(`v1:${purpose}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return `v1.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
}

describe('createSealer', () => {
  const key = randomBytes(32);
  const value = { rt: 'refresh-abc', n: 3 };

  it('round-trips a value and hides it', () => {
    const s = createSealer(key, 'session');
    const sealed = s.seal(value);
    expect(sealed).not.toContain('refresh-abc');
    expect(body(sealed).toString('latin1')).not.toContain('refresh-abc');
    expect(s.unseal(sealed)).toEqual(value);
  });

  it('names the sealing key by an id that does not reveal it', () => {
    const sealed = createSealer(key, 'session').seal(value);
    const id = keyId(key);
    expect(sealed.startsWith(`v2.${id}.`)).toBe(true);
    expect(id).toMatch(/^[A-Za-z0-9_-]{8}$/);
    expect(key.toString('hex')).not.toContain(Buffer.from(id, 'base64url').toString('hex'));
    expect(keyId(randomBytes(32))).not.toBe(id);
  });

  it('uses a fresh IV each time', () => {
    const s = createSealer(key, 'session');
    expect(s.seal(value)).not.toBe(s.seal(value));
  });

  it('rejects any flipped byte', () => {
    const s = createSealer(key, 'session');
    const sealed = s.seal(value);
    const raw = body(sealed);
    const prefix = sealed.slice(0, sealed.lastIndexOf('.') + 1);
    for (let i = 0; i < raw.length; i += 1) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 1;
      expect(s.unseal(`${prefix}${bad.toString('base64url')}`)).toBeNull();
    }
  });

  it('rejects values sealed with another key or for another purpose', () => {
    const sealed = createSealer(key, 'session').seal(value);
    expect(createSealer(randomBytes(32), 'session').unseal(sealed)).toBeNull();
    expect(createSealer(key, 'other').unseal(sealed)).toBeNull();
  });

  it('rejects a value whose key id was swapped for another listed key', () => {
    const other = randomBytes(32);
    const both = createSealer([key, other], 'session');
    const sealed = createSealer(key, 'session').seal(value);
    const swapped = sealed.replace(`v2.${keyId(key)}.`, `v2.${keyId(other)}.`);
    expect(both.unseal(swapped)).toBeNull();
  });

  it('rejects junk without throwing', () => {
    const s = createSealer(key, 'session');
    for (const junk of [
      '',
      'v1.',
      'v1.AAAA',
      'v2.',
      'v2..AAAA',
      `v2.${keyId(key)}.`,
      'v3.abc',
      'hello',
      'v1.!!!!',
    ])
      expect(s.unseal(junk)).toBeNull();
  });

  it('refuses a short key, an empty list and a key listed twice', () => {
    expect(() => createSealer(randomBytes(16), 'x')).toThrow(/32 bytes/);
    expect(() => createSealer([], 'x')).toThrow(/at least one key/);
    expect(() => createSealer([key, Buffer.from(key)], 'x')).toThrow(/listed twice/);
  });
});

describe('rotating keys (issue 12)', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const value = { rt: 'refresh-abc' };

  it('seals with the first key and opens values sealed by any listed key, saying which are current', () => {
    const rotated = createSealer([newKey, oldKey], 'session');
    const fromOld = createSealer(oldKey, 'session').seal(value);
    expect(rotated.open(fromOld)).toEqual({ value, current: false });
    const fresh = rotated.seal(value);
    expect(fresh.startsWith(`v2.${keyId(newKey)}.`)).toBe(true);
    expect(rotated.open(fresh)).toEqual({ value, current: true });
    // the re-sealed value opens once the old key is dropped; the old one no longer does
    const newOnly = createSealer(newKey, 'session');
    expect(newOnly.unseal(fresh)).toEqual(value);
    expect(newOnly.unseal(fromOld)).toBeNull();
  });

  it('still opens values written before key ids (v1) with any listed key, as not current', () => {
    const legacy = sealV1(oldKey, 'session', value);
    expect(createSealer([newKey, oldKey], 'session').open(legacy)).toEqual({
      value,
      current: false,
    });
    expect(createSealer(oldKey, 'session').open(legacy)).toEqual({ value, current: false });
    expect(createSealer(newKey, 'session').open(legacy)).toBeNull();
    expect(createSealer(oldKey, 'other').open(legacy)).toBeNull();
  });
});
