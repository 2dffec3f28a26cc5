import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CODE_LENGTH, codeToKey, deriveKeys, keyToCode, newRawKey } from './sync-key';
import { DeviceSyncError } from './device-sync-error';

async function codeOf(fn: () => Promise<unknown>): Promise<string | null> {
  try {
    await fn();
    return null;
  } catch (e) {
    return e instanceof DeviceSyncError ? e.code : String(e);
  }
}

describe('the sync key code', () => {
  it('gives back the key it was made from, whatever the key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 32, maxLength: 32 }), async (bytes) => {
        const raw = new Uint8Array(bytes);
        const code = await keyToCode(raw);
        expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}$/);
        expect(await codeToKey(code)).toEqual(raw);
      }),
      { numRuns: 50 },
    );
  });

  it('forgives case, spaces, and O/I/L typed for 0/1', async () => {
    const raw = newRawKey();
    const code = await keyToCode(raw);
    const sloppy = ` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l')} `;
    expect(await codeToKey(sloppy)).toEqual(raw);
  });

  it('catches any one character typed wrong, and a missing one, before asking the server', async () => {
    const code = (await keyToCode(newRawKey())).replace(/-/g, '');
    expect(code).toHaveLength(CODE_LENGTH);
    for (let i = 0; i < code.length; i += 5) {
      const wrong = code[i] === 'A' ? 'B' : 'A';
      expect(await codeOf(() => codeToKey(code.slice(0, i) + wrong + code.slice(i + 1)))).toBe(
        'SYNC_KEY_TYPO',
      );
    }
    expect(await codeOf(() => codeToKey(code.slice(1)))).toBe('SYNC_KEY_TYPO');
    expect(await codeOf(() => codeToKey(`${code.slice(1)}U`))).toBe('SYNC_KEY_TYPO');
  });
});

describe('deriveKeys', () => {
  it('makes keys no script can read out, and the same key check on every device', async () => {
    const raw = newRawKey();
    const a = await deriveKeys(raw, 0);
    const b = await deriveKeys(new Uint8Array(raw), 0);
    expect(a.seal.extractable).toBe(false);
    expect(a.name.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', a.seal)).rejects.toThrow();
    expect(a.check).toBe(b.check);
    expect((await deriveKeys(newRawKey(), 0)).check).not.toBe(a.check);
  });
});
