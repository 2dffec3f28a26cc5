import { randomBytes } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import oauth from './oauth.js';
import sameOrigin from './same-origin.js';
import securityHeaders from './security-headers.js';
import session from './session.js';
import staticFiles from './static-files.js';
import { openSqliteStore } from './sync/sqlite-store.js';
import type { SyncStore } from './sync/sync-store.js';
import syncRelay from './sync/relay.js';
import { testConfig } from './test-support/config.js';
import { tempDataDir } from './test-support/sync.js';

const data = tempDataDir();
afterAll(() => data.cleanup());

async function registrationError(
  register: (app: ReturnType<typeof Fastify>) => void,
): Promise<string> {
  const app = Fastify({ logger: false });
  register(app);
  try {
    await app.ready();
  } catch (e) {
    return (e as Error).message;
  } finally {
    await app.close().catch(() => undefined);
  }
  throw new Error('expected registration to fail');
}

describe('plugin options are checked at registration', () => {
  it('names the option and what is wrong with it', async () => {
    expect(
      await registrationError((a) =>
        a.register(session, { keys: [randomBytes(16)], secure: false, now: Date.now }),
      ),
    ).toMatch(/session plugin: options.keys .*each key must be a Buffer of at least 32 bytes/);
    const k = randomBytes(32);
    expect(
      await registrationError((a) =>
        a.register(session, { keys: [k, Buffer.from(k)], secure: false, now: Date.now }),
      ),
    ).toMatch(/session plugin: options.keys .*the same key is listed twice/);
    expect(await registrationError((a) => a.register(sameOrigin, { origin: 'not a url' }))).toMatch(
      /same-origin plugin: options.origin/,
    );
    expect(await registrationError((a) => a.register(staticFiles, { root: '' }))).toMatch(
      /static plugin: options.root/,
    );
    expect(
      await registrationError((a) =>
        a.register(securityHeaders, {
          webBuildDir: '/x',
          connectOrigins: ['nope'],
          imageOrigins: [],
          formActionOrigins: [],
          https: false,
        }),
      ),
    ).toMatch(/options.connectOrigins holds "nope"/);
    const oauthOpts = {
      clientId: 'id',
      clientSecret: 's',
      accountsUrl: 'https://accounts.spotify.com',
      publicUrl: 'http://127.0.0.1:8888',
      secure: false,
      now: Date.now,
      rateLimitPerMinute: 30,
    };
    expect(await registrationError((a) => a.register(oauth, oauthOpts))).toMatch(
      /register the session plugin first|mtm-session/,
    );
    expect(
      await registrationError((a) => {
        a.register(session, { keys: [randomBytes(32)], secure: false, now: Date.now });
        a.register(oauth, { ...oauthOpts, clientSecret: '' });
      }),
    ).toMatch(/options.clientSecret must be a non-empty string/);

    const store = openSqliteStore({ dataDir: data.dir });
    try {
      const relay = { store, quotaBytes: 1000, requestsPerMinute: 10 };
      const withSession = (a: ReturnType<typeof Fastify>) => {
        a.register(rateLimit, { global: false });
        a.register(session, { keys: [randomBytes(32)], secure: false, now: Date.now });
      };
      expect(
        await registrationError((a) => {
          withSession(a);
          a.register(syncRelay, { ...relay, store: {} as SyncStore });
        }),
      ).toMatch(/sync relay: options.store must be a SyncStore \(missing put\(\)\)/);
      expect(
        await registrationError((a) => {
          withSession(a);
          a.register(syncRelay, { ...relay, quotaBytes: 0 });
        }),
      ).toMatch(/sync relay: options.quotaBytes must be a positive whole number of bytes, got 0/);
      expect(
        await registrationError((a) => {
          withSession(a);
          a.register(syncRelay, { ...relay, requestsPerMinute: 1.5 });
        }),
      ).toMatch(/options.requestsPerMinute must be a positive whole number, got 1.5/);
      expect(await registrationError((a) => a.register(syncRelay, relay))).toMatch(
        /sync relay: register the session plugin first/,
      );
    } finally {
      await store.close();
    }
  });

  it('buildApp refuses a bad config with the field name, never echoing the secret', async () => {
    const secret = 'the-client-secret-123456';
    await expect(
      buildApp(testConfig({ clientSecret: secret, publicUrl: 'http://localhost:8888' }), {
        logger: false,
      }),
    ).rejects.toThrow(/PUBLIC_URL: .*Spotify rejects/);
    await expect(
      buildApp(testConfig({ sessionKeys: [randomBytes(8)] }), { logger: false }),
    ).rejects.toThrow(/sessionKeys: key 1 of 1 decodes to 8 bytes/);
    await expect(buildApp(testConfig({ sessionKeys: [] }), { logger: false })).rejects.toThrow(
      /sessionKeys: must list at least one key/,
    );
    await expect(
      buildApp(testConfig({ sessionKeys: [randomBytes(32), Buffer.alloc(32, 7)] }), {
        logger: false,
      }),
    ).rejects.toThrow(/sessionKeys: key 2 of 2 decodes to only 1 different byte values/);
    await expect(buildApp(testConfig({ apiUrl: 'ftp://x' }), { logger: false })).rejects.toThrow(
      /apiUrl/,
    );
    await expect(
      buildApp(testConfig({ clientSecret: secret, clientId: '' }), { logger: false }),
    ).rejects.toThrow(/clientId/);
    const err = await buildApp(testConfig({ clientSecret: secret, accountsUrl: 'nope' }), {
      logger: false,
    }).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/accountsUrl/);
    expect(err?.message).not.toContain(secret);
  });
});
