import { ConfigError, parsePublicUrl } from './config.js';
import { keyId } from './seal.js';
import { weakKeyBytes } from './session-keys.js';
import type { SyncSettings } from './sync/open-store.js';
import { DEFAULT_SYNC_PER_MINUTE } from './sync/protocol.js';

/** What buildApp needs: EnvConfig after demo mode has filled in the emulator's client and URLs. */
export interface AppConfig {
  publicUrl: string;
  clientId: string;
  clientSecret: string;
  /** newest first: session cookies are sealed with the first and opened with any */
  sessionKeys: Buffer[];
  accountsUrl: string;
  apiUrl: string;
  featuresUrl: string | null;
  webBuildDir: string;
  demo: boolean;
  /** cover-art origins the browser may load images from */
  imageOrigins: string[];
  /** per client IP for login and token; per account for /sync (default 300) */
  rateLimit: { authPerMinute: number; tokenPerMinute: number; syncPerMinute?: number };
  /** proxies in front that append to X-Forwarded-For; 0 ignores the header */
  trustProxy: number;
  /** the sync relay's storage; absent, /sync is not served (tests of other routes) */
  sync?: SyncSettings | null;
}

export const SPOTIFY_IMAGE_ORIGIN = 'https://i.scdn.co';
export const DEFAULT_RATE_LIMIT = {
  authPerMinute: 30,
  tokenPerMinute: 120,
  syncPerMinute: DEFAULT_SYNC_PER_MINUTE,
} as const;

function requireString(name: keyof AppConfig, v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(name, 'must be a non-empty string');
  return v;
}

function requireHttpUrl(name: keyof AppConfig, v: unknown): string {
  const s = requireString(name, v);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ConfigError(name, `"${s}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigError(name, `must use http: or https:, got ${url.protocol}`);
  return s.replace(/\/+$/, '');
}

/** Checked once at registration so a wrong option fails at start with the field's name, not at the first login. */
export function checkAppConfig(c: AppConfig): AppConfig {
  if (c === null || typeof c !== 'object')
    throw new ConfigError('config', 'buildApp needs a config object');
  if (!Array.isArray(c.sessionKeys) || c.sessionKeys.length === 0)
    throw new ConfigError('sessionKeys', 'must list at least one key, newest first');
  const ids = new Set<string>();
  c.sessionKeys.forEach((k, i) => {
    const which = `key ${i + 1} of ${c.sessionKeys.length}`;
    if (!Buffer.isBuffer(k)) throw new ConfigError('sessionKeys', `${which} must be a Buffer`);
    const why = weakKeyBytes(k);
    if (why !== null) throw new ConfigError('sessionKeys', `${which} ${why}`);
    if (ids.has(keyId(k))) throw new ConfigError('sessionKeys', `${which} is listed twice`);
    ids.add(keyId(k));
  });
  for (const [k, n] of Object.entries(c.rateLimit ?? {})) {
    if (!Number.isInteger(n) || n < 1)
      throw new ConfigError('rateLimit', `${k} must be a positive integer`);
  }
  if (!Number.isInteger(c.trustProxy) || c.trustProxy < 0)
    throw new ConfigError('trustProxy', 'must be a hop count (a non-negative integer)');
  if (!Array.isArray(c.imageOrigins))
    throw new ConfigError('imageOrigins', 'must be an array of origins');
  if (c.sync) {
    if (
      c.sync.databaseUrl === null &&
      (typeof c.sync.dataDir !== 'string' || c.sync.dataDir === '')
    )
      throw new ConfigError(
        'sync',
        'dataDir must name a directory (DATA_DIR) when databaseUrl is null',
      );
    if (!Number.isSafeInteger(c.sync.quotaBytes) || c.sync.quotaBytes < 1)
      throw new ConfigError('sync', 'quotaBytes must be a positive whole number of bytes');
  }
  return {
    ...c,
    publicUrl: parsePublicUrl(requireString('publicUrl', c.publicUrl)),
    clientId: requireString('clientId', c.clientId),
    clientSecret: requireString('clientSecret', c.clientSecret),
    accountsUrl: requireHttpUrl('accountsUrl', c.accountsUrl),
    apiUrl: requireHttpUrl('apiUrl', c.apiUrl),
    featuresUrl: c.featuresUrl === null ? null : requireHttpUrl('featuresUrl', c.featuresUrl),
    webBuildDir: requireString('webBuildDir', c.webBuildDir),
    imageOrigins: c.imageOrigins.map((o) => new URL(requireHttpUrl('imageOrigins', o)).origin),
    rateLimit: { ...DEFAULT_RATE_LIMIT, ...c.rateLimit },
  };
}
