import { ConfigError } from './config-error.js';
import { keyId, MIN_KEY_BYTES } from './seal.js';

const HOW = 'generate one with: openssl rand -hex 32';

/**
 * Values people paste from examples and tutorials. Compared on letters and
 * digits only, lowercased: exactly, and for the longer words also inside the
 * key ("my-changeme-key..."). Words of 7+ letters do not turn up by chance in
 * a random hex or base64 key (hex has no such letters; for base64 it is about
 * one key in a billion).
 */
const PLACEHOLDERS = [
  'changeme',
  'changethis',
  'replaceme',
  'yoursessionkey',
  'sessionkey',
  'secretkey',
  'mysecret',
  'placeholder',
  'example',
  'password',
  'default',
  'insecure',
  'notasecret',
  'xxxxxxxx',
  'secret',
  'test',
  'key',
  'dev',
];

function isPlaceholder(raw: string): boolean {
  const plain = raw.toLowerCase().replace(/[^a-z0-9]/g, '');
  return PLACEHOLDERS.some((p) => plain === p || (p.length >= 7 && plain.includes(p)));
}

/**
 * Why a decoded key cannot be a random one, or null. 32 random bytes hold
 * about 30 different byte values (fewer than 16 happens with a probability
 * far below 1e-20), so fewer means a pattern someone typed.
 */
export function weakKeyBytes(key: Buffer): string | null {
  if (key.length < MIN_KEY_BYTES)
    return `decodes to ${key.length} bytes; at least ${MIN_KEY_BYTES} are needed`;
  const distinct = new Set(key).size;
  if (distinct < 16)
    return `decodes to only ${distinct} different byte values in ${key.length} bytes: a repeated pattern, not random bytes`;
  return null;
}

/** Why one SESSION_KEY entry is unusable, or null; never quotes the key. */
function weakness(raw: string, key: Buffer): string | null {
  if (raw === '') return 'is empty (separate keys with single commas, newest first)';
  if (isPlaceholder(raw)) return 'is a well-known placeholder, not a secret';
  if (new Set(raw).size === 1) return 'is one character repeated';
  const hex = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0;
  if (!hex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return 'must be hex or base64';
  if (key.length < MIN_KEY_BYTES) return weakKeyBytes(key);
  const chars = new Set(raw).size;
  if (chars < 8) return `uses only ${chars} different characters: a pattern, not random bytes`;
  return weakKeyBytes(key);
}

function decode(raw: string): Buffer {
  const hex = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0;
  return hex ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
}

/**
 * SESSION_KEY: one key, or several separated by commas, newest first. Cookies
 * are sealed with the first and opened with any, so a new key goes in front of
 * the old one, and the old one is dropped once every session has been sealed
 * again (each /auth/token call does that) or has expired. Each key is hex or
 * base64 of at least 32 random bytes; a weak one stops the server at start,
 * with a message that says which key and why but never quotes it.
 */
export function parseSessionKeys(value: string): Buffer[] {
  const raws = value.split(',').map((s) => s.trim());
  const seen = new Map<string, number>();
  return raws.map((raw, i) => {
    const which = raws.length > 1 ? `key ${i + 1} of ${raws.length} ` : '';
    const key = decode(raw);
    const why = weakness(raw, key);
    if (why !== null) throw new ConfigError('SESSION_KEY', `${which}${why} (${HOW})`);
    const id = keyId(key);
    const first = seen.get(id);
    if (first !== undefined)
      throw new ConfigError('SESSION_KEY', `${which}repeats key ${first + 1}; list each key once`);
    seen.set(id, i);
    return key;
  });
}
