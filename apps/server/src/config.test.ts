import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_WEB_BUILD_DIR, DEFAULTS, loadConfig, REPO_ROOT } from './config.js';

// fixed, so a failure is reproducible; random-looking, so the weak-key checks pass it
const KEY_HEX = '3f9a1c7e52b8d04e6a1f93c2b7e05d8a4c61f2e9b03a7d58c1e4f6a29b0d37e5';
const real = { SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: 'csecret', SESSION_KEY: KEY_HEX };

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs in demo mode without a client id, with a generated key and the documented defaults', () => {
    const fixed = Buffer.alloc(32, 7);
    const c = loadConfig({}, { randomKey: () => fixed });
    expect(c.credentials).toBeNull();
    expect(c.demo).toEqual({ port: 8889, controls: false, startTime: undefined });
    expect(c.sessionKeys).toEqual([fixed]);
    expect(c.sessionKeyGenerated).toBe(true);
    expect(c.publicUrl).toBe('http://127.0.0.1:8888');
    expect([c.host, c.port]).toEqual(['127.0.0.1', 8888]);
    expect([c.accountsUrl, c.apiUrl, c.featuresUrl]).toEqual([
      DEFAULTS.accountsUrl,
      DEFAULTS.apiUrl,
      DEFAULTS.featuresUrl,
    ]);
    expect(c.webBuildDir).toBe(DEFAULT_WEB_BUILD_DIR);
  });

  it('reads the demo emulator settings', () => {
    const c = loadConfig({
      DEMO_EMULATOR_PORT: '9999',
      DEMO_EMULATOR_CONTROLS: '1',
      DEMO_EMULATOR_START: '2025-03-01T00:00:00Z',
    });
    expect(c.demo).toEqual({ port: 9999, controls: true, startTime: Date.UTC(2025, 2, 1) });
    expect(errorOf(() => loadConfig({ DEMO_EMULATOR_START: 'last march' })).variable).toBe(
      'DEMO_EMULATOR_START',
    );
  });

  it('uses real credentials and URL overrides, trimming trailing slashes', () => {
    const c = loadConfig({
      ...real,
      SPOTIFY_API_URL: 'http://127.0.0.1:7000/v1/',
      PUBLIC_URL: 'https://mtm.example.org/',
    });
    expect(c.credentials).toEqual({ clientId: 'cid', clientSecret: 'csecret' });
    expect(c.demo).toBeNull();
    expect(c.sessionKeys).toEqual([Buffer.from(KEY_HEX, 'hex')]);
    expect(c.sessionKeyGenerated).toBe(false);
    expect(c.apiUrl).toBe('http://127.0.0.1:7000/v1');
    expect(c.publicUrl).toBe('https://mtm.example.org');
  });

  it('refuses a localhost PUBLIC_URL and says why and what to use', () => {
    const e = errorOf(() => loadConfig({ PUBLIC_URL: 'http://localhost:8888' }));
    expect(e.variable).toBe('PUBLIC_URL');
    expect(e.message).toContain('Spotify rejects');
    expect(e.message).toContain('http://127.0.0.1:8888');
  });

  it('refuses plain http on a public host, and garbage URLs', () => {
    expect(errorOf(() => loadConfig({ PUBLIC_URL: 'http://mtm.example.org' })).message).toMatch(
      /https/,
    );
    expect(errorOf(() => loadConfig({ PUBLIC_URL: 'not a url' })).message).toMatch(
      /not an absolute URL/,
    );
    expect(
      errorOf(() => loadConfig({ PUBLIC_URL: 'https://mtm.example.org/app' })).message,
    ).toMatch(/without a path/);
    expect(errorOf(() => loadConfig({ SPOTIFY_API_URL: 'ftp://x' })).variable).toBe(
      'SPOTIFY_API_URL',
    );
  });

  it('requires the secret with a client id, and the client id with a secret', () => {
    const e = errorOf(() => loadConfig({ SPOTIFY_CLIENT_ID: 'cid', SESSION_KEY: KEY_HEX }));
    expect(e.variable).toBe('SPOTIFY_CLIENT_SECRET');
    expect(e.message).toMatch(/required when SPOTIFY_CLIENT_ID is set/);
    expect(errorOf(() => loadConfig({ SPOTIFY_CLIENT_SECRET: 's' })).variable).toBe(
      'SPOTIFY_CLIENT_ID',
    );
  });

  it('requires SESSION_KEY outside demo mode and explains how to make one', () => {
    const e = errorOf(() => loadConfig({ SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: 's' }));
    expect(e.variable).toBe('SESSION_KEY');
    expect(e.message).toContain('openssl rand -hex 32');
  });

  it('never echoes the client secret in a message', () => {
    const secret = 'super-secret-value-123';
    for (const env of [
      { SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: secret },
      { SPOTIFY_CLIENT_ID: 'cid', SPOTIFY_CLIENT_SECRET: secret, SESSION_KEY: 'short' },
      {
        SPOTIFY_CLIENT_ID: 'cid',
        SPOTIFY_CLIENT_SECRET: secret,
        SESSION_KEY: KEY_HEX,
        PUBLIC_URL: 'http://localhost',
      },
    ]) {
      expect(errorOf(() => loadConfig(env)).message).not.toContain(secret);
    }
  });

  it('resolves a relative WEB_BUILD_DIR against the repository, not the working directory', () => {
    expect(loadConfig({ WEB_BUILD_DIR: 'apps/web/build' }).webBuildDir).toBe(DEFAULT_WEB_BUILD_DIR);
    expect(DEFAULT_WEB_BUILD_DIR.startsWith(REPO_ROOT)).toBe(true);
    expect(loadConfig({ WEB_BUILD_DIR: '/srv/web' }).webBuildDir).toBe('/srv/web');
  });

  it('follows PORT in the default PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '9000' }).publicUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ PORT: '9000', PUBLIC_URL: 'https://mtm.example.org' }).publicUrl).toBe(
      'https://mtm.example.org',
    );
  });

  it('checks ports', () => {
    expect(errorOf(() => loadConfig({ PORT: '99999' })).variable).toBe('PORT');
  });

  it('takes TRUST_PROXY as a hop count, and refuses anything else with what to write instead', () => {
    expect(loadConfig({}).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '0' }).trustProxy).toBe(0);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    for (const raw of ['true', 'false', 'yes', '-1', '1.5', '1e2', '0x1', '10.0.0.0/8']) {
      const e = errorOf(() => loadConfig({ TRUST_PROXY: raw }));
      expect(e.variable, raw).toBe('TRUST_PROXY');
      expect(e.message, raw).toContain(`"${raw}" is not a hop count`);
      expect(e.message, raw).toContain('number of proxies in front');
    }
  });

  it('reads the per-minute rate limits', () => {
    expect(loadConfig({}).rateLimit).toEqual({
      authPerMinute: 30,
      tokenPerMinute: 120,
      syncPerMinute: 300,
    });
    expect(
      loadConfig({ RATE_LIMIT_LOGIN: '300', RATE_LIMIT_TOKEN: '1000', RATE_LIMIT_SYNC: '50' })
        .rateLimit,
    ).toEqual({ authPerMinute: 300, tokenPerMinute: 1000, syncPerMinute: 50 });
    expect(errorOf(() => loadConfig({ RATE_LIMIT_TOKEN: '0' })).variable).toBe('RATE_LIMIT_TOKEN');
    expect(errorOf(() => loadConfig({ RATE_LIMIT_SYNC: 'lots' })).variable).toBe('RATE_LIMIT_SYNC');
  });

  it('keeps sync records in SQLite under ./data of the working directory unless told otherwise', () => {
    expect(loadConfig({}).sync).toEqual({
      dataDir: join(process.cwd(), 'data'),
      databaseUrl: null,
      quotaBytes: 256 * 1024 * 1024,
    });
    expect(loadConfig({ DATA_DIR: 'var/mtm' }).sync.dataDir).toBe(join(process.cwd(), 'var/mtm'));
    expect(loadConfig({ DATA_DIR: '/srv/mtm' }).sync.dataDir).toBe('/srv/mtm');
    expect(loadConfig({ SYNC_QUOTA_MB: '10' }).sync.quotaBytes).toBe(10 * 1024 * 1024);
    for (const raw of ['0', '-5', '1.5', 'lots', '99999999999999'])
      expect(errorOf(() => loadConfig({ SYNC_QUOTA_MB: raw })).variable, raw).toBe('SYNC_QUOTA_MB');
  });

  it('selects PostgreSQL with SYNC_DATABASE_URL, refusing anything else without quoting it', () => {
    const url = 'postgresql://mtm:s3cret-pw@db.internal:5432/mtm';
    expect(loadConfig({ SYNC_DATABASE_URL: url }).sync.databaseUrl).toBe(url);
    for (const raw of [
      'mysql://mtm:s3cret-pw@db/mtm',
      'db.internal:5432 s3cret-pw',
      'postgres://:s3cret-pw@/mtm',
    ]) {
      const e = errorOf(() => loadConfig({ SYNC_DATABASE_URL: raw }));
      expect(e.variable, raw).toBe('SYNC_DATABASE_URL');
      expect(e.message, raw).toContain('postgres://user:password@host:5432/database');
      expect(e.message, raw).not.toContain('s3cret-pw');
    }
  });

  it('can disable the feature source', () => {
    expect(loadConfig({ FEATURES_API_URL: 'none' }).featuresUrl).toBeNull();
  });

  it("leaves Spotify's audio features off unless SPOTIFY_AUDIO_FEATURES=on (issue 12)", () => {
    expect(loadConfig({}).spotifyAudioFeatures).toBe(false);
    expect(loadConfig({ ...real }).spotifyAudioFeatures).toBe(false);
    expect(loadConfig({ ...real, SPOTIFY_AUDIO_FEATURES: 'off' }).spotifyAudioFeatures).toBe(false);
    expect(loadConfig({ ...real, SPOTIFY_AUDIO_FEATURES: ' on ' }).spotifyAudioFeatures).toBe(true);
    for (const raw of ['1', 'true', 'ON', 'yes']) {
      const e = errorOf(() => loadConfig({ ...real, SPOTIFY_AUDIO_FEATURES: raw }));
      expect(e.variable, raw).toBe('SPOTIFY_AUDIO_FEATURES');
      expect(e.message, raw).toContain('extended quota');
    }
  });
});
