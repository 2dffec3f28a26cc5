import { randomBytes } from 'node:crypto';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import { parseSessionKeys } from './session-keys.js';
import type { SyncSettings } from './sync/open-store.js';
import { DEFAULT_QUOTA_MB, DEFAULT_SYNC_PER_MINUTE, MIB } from './sync/protocol.js';

export { ConfigError };

/** Everything the process needs, read once from the environment at start. */
export interface EnvConfig {
  host: string;
  port: number;
  publicUrl: string;
  /** SESSION_KEY's keys, newest first: cookies are sealed with the first and opened with any */
  sessionKeys: Buffer[];
  /** true when no SESSION_KEY was given (demo mode): sessions end when the process stops */
  sessionKeyGenerated: boolean;
  /** null means demo mode */
  credentials: { clientId: string; clientSecret: string } | null;
  accountsUrl: string;
  apiUrl: string;
  featuresUrl: string | null;
  /** SPOTIFY_AUDIO_FEATURES=on: the browser asks Spotify's /audio-features first (extended-quota apps only) */
  spotifyAudioFeatures: boolean;
  webBuildDir: string;
  /** how many proxies in front of the server append to X-Forwarded-For; 0 ignores the header */
  trustProxy: number;
  /** requests per minute: per client IP for login and token, per account for /sync */
  rateLimit: { authPerMinute: number; tokenPerMinute: number; syncPerMinute: number };
  /** the sync relay's storage: SQLite in DATA_DIR, or PostgreSQL at SYNC_DATABASE_URL */
  sync: SyncSettings;
  demo: { port: number; controls: boolean; startTime: number | undefined } | null;
}

export const DEFAULTS = {
  publicUrl: 'http://127.0.0.1:8888',
  host: '127.0.0.1',
  port: 8888,
  demoPort: 8889,
  loginPerMinute: 30,
  tokenPerMinute: 120,
  accountsUrl: 'https://accounts.spotify.com',
  apiUrl: 'https://api.spotify.com/v1',
  featuresUrl: 'https://api.reccobeats.com/v1',
  syncPerMinute: DEFAULT_SYNC_PER_MINUTE,
  syncQuotaMb: DEFAULT_QUOTA_MB,
  dataDir: './data',
} as const;

// apps/server/{src,dist}/config.* -> repo root is three levels up; resolving from the
// module rather than the cwd lets `npm start` (cwd = repo root) and
// `pnpm --filter` (cwd = apps/server) find the same build.
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_WEB_BUILD_DIR = resolve(REPO_ROOT, 'apps', 'web', 'build');

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function parseHttpUrl(name: string, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `"${raw}" is not an absolute URL (expected e.g. ${DEFAULTS.publicUrl})`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(name, `must use http: or https:, got ${url.protocol}`);
  }
  if (url.search || url.hash) throw new ConfigError(name, 'must not contain a query or a fragment');
  return url;
}

function withoutTrailingSlash(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

export function parsePublicUrl(raw: string): string {
  const url = parseHttpUrl('PUBLIC_URL', raw);
  if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')) {
    throw new ConfigError(
      'PUBLIC_URL',
      `"${raw}" uses localhost, which Spotify rejects in redirect URIs (loopback must be an IP literal). ` +
        `Use http://127.0.0.1:${url.port || '8888'} instead, and register http://127.0.0.1:${url.port || '8888'}/auth/callback in the Spotify dashboard.`,
    );
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol === 'http:' && !loopback) {
    throw new ConfigError(
      'PUBLIC_URL',
      `"${raw}" is plain http on a non-loopback host; Spotify only accepts https redirect URIs there (http is allowed for 127.0.0.1 and [::1] only).`,
    );
  }
  if (url.pathname !== '/') {
    throw new ConfigError(
      'PUBLIC_URL',
      `must be an origin without a path (the app is served at /), got path "${url.pathname}"`,
    );
  }
  return withoutTrailingSlash(url);
}

function parsePort(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new ConfigError(name, `"${raw}" is not a TCP port (0-65535)`);
  return n;
}

function parsePerMinute(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(name, `"${raw}" must be a positive whole number of requests per minute`);
  return n;
}

/**
 * A hop count, never "trust everything": with `true`, Fastify believes the
 * left-most X-Forwarded-For entry, which the client writes itself, so anyone
 * could pick the IP the rate limits count against. With N, only the entries
 * appended by the N proxies in front are believed.
 */
function parseTrustProxy(raw: string | undefined): number {
  if (raw === undefined) return 0;
  if (/^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  throw new ConfigError(
    'TRUST_PROXY',
    `"${raw}" is not a hop count: set the number of proxies in front of the server ` +
      '(0 or unset: none, X-Forwarded-For is ignored; 1: one reverse proxy or load balancer). ' +
      'true/false are no longer accepted: true would believe any X-Forwarded-For a client sends.',
  );
}

/**
 * Off unless asked for: every app registered since November 2024 is in
 * development mode, where GET /audio-features answers 403. The app copes, but
 * each start would log that 403 in the browser as a failed request. Only an
 * app with extended quota gets data there, and its owner knows it.
 */
function parseOnOff(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === 'off') return false;
  if (raw === 'on') return true;
  throw new ConfigError(
    name,
    `"${raw}" must be "on" (the Spotify app has extended quota and still gets audio features) ` +
      'or "off" (the default: development mode, where Spotify answers 403 and ReccoBeats is asked instead)',
  );
}

/**
 * postgres:// or postgresql:// with a host. The message never quotes the URL:
 * it usually holds the database password.
 */
function parseDatabaseUrl(raw: string | undefined): string | null {
  if (raw === undefined) return null;
  let url: URL | null = null;
  try {
    url = new URL(raw);
  } catch {
    // reported below
  }
  if (
    url === null ||
    (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') ||
    !url.hostname
  )
    throw new ConfigError(
      'SYNC_DATABASE_URL',
      'must be a PostgreSQL URL like postgres://user:password@host:5432/database ' +
        '(unset it to keep sync records in SQLite under DATA_DIR)',
    );
  return raw;
}

function parseQuotaMb(raw: string | undefined): number {
  if (raw === undefined) return DEFAULTS.syncQuotaMb;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n * MIB) || n < 1)
    throw new ConfigError(
      'SYNC_QUOTA_MB',
      `"${raw}" must be a positive whole number of megabytes (MiB) per account, e.g. ${DEFAULTS.syncQuotaMb}`,
    );
  return n;
}

function parseStartTime(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms))
    throw new ConfigError('DEMO_EMULATOR_START', `"${raw}" is not an ISO date (e.g. 2026-03-01)`);
  return ms;
}

export function loadConfig(env: Env, opts: { randomKey?: () => Buffer } = {}): EnvConfig {
  const clientId = read(env, 'SPOTIFY_CLIENT_ID');
  const clientSecret = read(env, 'SPOTIFY_CLIENT_SECRET');
  if (clientId !== undefined && clientSecret === undefined) {
    throw new ConfigError(
      'SPOTIFY_CLIENT_SECRET',
      "is required when SPOTIFY_CLIENT_ID is set (find it under your app's Settings in the Spotify developer dashboard)",
    );
  }
  if (clientId === undefined && clientSecret !== undefined) {
    throw new ConfigError(
      'SPOTIFY_CLIENT_ID',
      'is required when SPOTIFY_CLIENT_SECRET is set (unset both to run the demo)',
    );
  }
  const demoMode = clientId === undefined;

  const rawKey = read(env, 'SESSION_KEY');
  if (rawKey === undefined && !demoMode) {
    throw new ConfigError(
      'SESSION_KEY',
      'is required with real Spotify credentials: it seals the refresh token in the session cookie. ' +
        'Generate one with: openssl rand -hex 32 (use the same key on every instance)',
    );
  }
  const sessionKeys =
    rawKey === undefined
      ? [(opts.randomKey ?? (() => randomBytes(32)))()]
      : parseSessionKeys(rawKey);

  const urlOf = (name: string, fallback: string) =>
    withoutTrailingSlash(parseHttpUrl(name, read(env, name) ?? fallback));
  const featuresRaw = read(env, 'FEATURES_API_URL');
  const featuresUrl =
    featuresRaw === 'none' ? null : urlOf('FEATURES_API_URL', DEFAULTS.featuresUrl);

  const webBuildRaw = read(env, 'WEB_BUILD_DIR');
  const webBuildDir =
    webBuildRaw === undefined
      ? DEFAULT_WEB_BUILD_DIR
      : isAbsolute(webBuildRaw)
        ? webBuildRaw
        : resolve(REPO_ROOT, webBuildRaw);

  const port = parsePort('PORT', read(env, 'PORT'), DEFAULTS.port);
  // with only PORT changed, the app is still where a browser on this machine reaches it
  const defaultPublicUrl =
    port === DEFAULTS.port || port === 0 ? DEFAULTS.publicUrl : `http://127.0.0.1:${port}`;

  const databaseUrl = parseDatabaseUrl(read(env, 'SYNC_DATABASE_URL'));

  return {
    host: read(env, 'HOST') ?? DEFAULTS.host,
    port,
    publicUrl: parsePublicUrl(read(env, 'PUBLIC_URL') ?? defaultPublicUrl),
    sessionKeys,
    sessionKeyGenerated: rawKey === undefined,
    credentials: demoMode ? null : { clientId, clientSecret: clientSecret as string },
    accountsUrl: urlOf('SPOTIFY_ACCOUNTS_URL', DEFAULTS.accountsUrl),
    apiUrl: urlOf('SPOTIFY_API_URL', DEFAULTS.apiUrl),
    featuresUrl,
    spotifyAudioFeatures: parseOnOff('SPOTIFY_AUDIO_FEATURES', read(env, 'SPOTIFY_AUDIO_FEATURES')),
    webBuildDir,
    trustProxy: parseTrustProxy(read(env, 'TRUST_PROXY')),
    rateLimit: {
      authPerMinute: parsePerMinute(
        'RATE_LIMIT_LOGIN',
        read(env, 'RATE_LIMIT_LOGIN'),
        DEFAULTS.loginPerMinute,
      ),
      tokenPerMinute: parsePerMinute(
        'RATE_LIMIT_TOKEN',
        read(env, 'RATE_LIMIT_TOKEN'),
        DEFAULTS.tokenPerMinute,
      ),
      syncPerMinute: parsePerMinute(
        'RATE_LIMIT_SYNC',
        read(env, 'RATE_LIMIT_SYNC'),
        DEFAULTS.syncPerMinute,
      ),
    },
    sync: {
      // relative to the working directory, like any path a person types where they start the server
      dataDir: resolve(process.cwd(), read(env, 'DATA_DIR') ?? DEFAULTS.dataDir),
      databaseUrl,
      quotaBytes: parseQuotaMb(read(env, 'SYNC_QUOTA_MB')) * MIB,
    },
    demo: demoMode
      ? {
          port: parsePort('DEMO_EMULATOR_PORT', read(env, 'DEMO_EMULATOR_PORT'), DEFAULTS.demoPort),
          controls: read(env, 'DEMO_EMULATOR_CONTROLS') === '1',
          startTime: parseStartTime(read(env, 'DEMO_EMULATOR_START')),
        }
      : null,
  };
}
