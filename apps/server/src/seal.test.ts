import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer } from './seal.js';

describe('createSealer', () => {
  const key = randomBytes(32);
  const value = { rt: 'refresh-abc', n: 3 };

  it('round-trips a value and hides it', () => {
    const s = createSealer(key, 'session');
    const sealed = s.seal(value);
    expect(sealed).not.toContain('refresh-abc');
    expect(Buffer.from(sealed.slice(3), 'base64url').toString('latin1')).not.toContain(
      'refresh-abc',
    );
    expect(s.unseal(sealed)).toEqual(value);
  });

  it('uses a fresh IV each time', () => {
    const s = createSealer(key, 'session');
    expect(s.seal(value)).not.toBe(s.seal(value));
  });

  it('rejects any flipped byte', () => {
    const s = createSealer(key, 'session');
    const raw = Buffer.from(s.seal(value).slice(3), 'base64url');
    for (let i = 0; i < raw.length; i += 1) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 1;
      expect(s.unseal(`v1.${bad.toString('base64url')}`)).toBeNull();
    }
  });

  it('rejects values sealed with another key or for another purpose', () => {
    const sealed = createSealer(key, 'session').seal(value);
    expect(createSealer(randomBytes(32), 'session').unseal(sealed)).toBeNull();
    expect(createSealer(key, 'other').unseal(sealed)).toBeNull();
  });

  it('rejects junk without throwing', () => {
    const s = createSealer(key, 'session');
    for (const junk of ['', 'v1.', 'v1.AAAA', 'v2.abc', 'hello', 'v1.!!!!'])
      expect(s.unseal(junk)).toBeNull();
  });

  it('refuses a short key', () => {
    expect(() => createSealer(randomBytes(16), 'x')).toThrow(/32 bytes/);
  });
});
