import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { parseSessionKeys } from './session-keys.js';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const realEnv = { SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: 'csecret' };

describe('parseSessionKeys', () => {
  it('accepts 32 bytes as hex, base64 and base64url', () => {
    const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i * 7 + 250));
    for (const text of [key.toString('hex'), key.toString('base64'), key.toString('base64url')])
      expect(parseSessionKeys(text)).toEqual([key]);
  });

  it('reads several keys separated by commas, newest first, spaces around them ignored', () => {
    const [a, b, c] = [randomBytes(32), randomBytes(48), randomBytes(32)];
    const keys = parseSessionKeys(
      ` ${a.toString('hex')}, ${b.toString('base64')} ,${c.toString('hex')}`,
    );
    expect(keys).toEqual([a, b, c]);
    expect(
      loadConfig({ ...realEnv, SESSION_KEY: `${a.toString('hex')},${b.toString('hex')}` })
        .sessionKeys,
    ).toEqual([a, b]);
  });

  it('refuses short keys with the byte count, and text that is neither hex nor base64', () => {
    expect(() => parseSessionKeys(randomBytes(31).toString('hex'))).toThrow(
      /31 bytes; at least 32/,
    );
    expect(() => parseSessionKeys('not base64 !!')).toThrow(/hex or base64/);
  });

  it('refuses trivially weak keys at start, saying which key and why (issue 12)', () => {
    const good = randomBytes(32).toString('hex');
    const cases: [string, RegExp][] = [
      ['changeme', /is a well-known placeholder/],
      ['CHANGE_ME', /is a well-known placeholder/],
      ['your-session-key', /is a well-known placeholder/],
      [`changeme${'x1'.repeat(30)}`, /is a well-known placeholder/],
      ['secret', /is a well-known placeholder/],
      ['a'.repeat(64), /is one character repeated/],
      ['0'.repeat(64), /is one character repeated/],
      ['ab'.repeat(32), /only 2 different characters/],
      ['0123'.repeat(16), /only 4 different characters/],
      // 16 different characters, but 8 different bytes: a typed pattern
      ['0123456789abcdef'.repeat(4), /only 8 different byte values in 32 bytes/],
      [`${good},`, /key 2 of 2 is empty/],
      [`${good},,${randomBytes(32).toString('hex')}`, /key 2 of 3 is empty/],
      [`${good},changeme`, /key 2 of 2 is a well-known placeholder/],
      [`${good},${good}`, /key 2 of 2 repeats key 1/],
      [`${good},${Buffer.from(good, 'hex').toString('base64')}`, /key 2 of 2 repeats key 1/],
    ];
    for (const [value, why] of cases) {
      const e = errorOf(() => loadConfig({ ...realEnv, SESSION_KEY: value }));
      expect(e.variable, value).toBe('SESSION_KEY');
      expect(e.message, value).toMatch(why);
    }
  });

  it('never prints a key, weak or not, in its message', () => {
    const good = randomBytes(32).toString('hex');
    for (const value of [
      'changeme',
      'hunter2hunter2',
      'ab'.repeat(32),
      '0123456789abcdef'.repeat(4),
      randomBytes(20).toString('hex'),
      `${good},${good}`,
      `${good},${randomBytes(8).toString('base64')}`,
    ]) {
      const e = errorOf(() => loadConfig({ ...realEnv, SESSION_KEY: value }));
      for (const part of value.split(','))
        if (part.length >= 4) expect(e.message, value).not.toContain(part);
      if (!/repeats/.test(e.message)) expect(e.message).toContain('openssl rand -hex 32');
    }
  });

  it('lets random keys through (1000 of each form)', () => {
    for (let i = 0; i < 1000; i += 1) {
      const key = randomBytes(32);
      expect(parseSessionKeys(key.toString(i % 2 ? 'hex' : 'base64'))).toEqual([key]);
    }
  });
});
