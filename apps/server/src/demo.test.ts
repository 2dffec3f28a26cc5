import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { type Demo, demoBanner, startDemo } from './demo.js';
import { DEMO_SESSION_COOKIE, SESSION_COOKIE } from './session.js';
import { PUBLIC_URL } from './test-support/config.js';
import { walkLogin } from './test-support/flow.js';
import { tempDataDir } from './test-support/sync.js';

describe('demo mode', () => {
  const data = tempDataDir();
  const env = loadConfig({
    DEMO_EMULATOR_PORT: '0',
    DEMO_EMULATOR_CONTROLS: '1',
    DEMO_EMULATOR_START: '2025-06-01T00:00:00Z',
    DATA_DIR: data.dir,
  });
  let demo: Demo;
  let app: FastifyInstance;
  beforeAll(async () => {
    demo = await startDemo(env);
    app = await buildApp(demo.appConfig, { logger: false });
  });
  afterAll(async () => {
    await app.close();
    await demo.emulator.close();
    data.cleanup();
  });

  it('points every Spotify URL at the in-process emulator on loopback and sets its clock', () => {
    expect(demo.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(demo.appConfig).toMatchObject({
      demo: true,
      accountsUrl: `${demo.baseUrl}/accounts`,
      apiUrl: `${demo.baseUrl}/v1`,
      featuresUrl: `${demo.baseUrl}/reccobeats/v1`,
      imageOrigins: [demo.baseUrl],
      rateLimit: { authPerMinute: 30, tokenPerMinute: 120 },
    });
    expect(demo.emulator.clock.now()).toBeGreaterThanOrEqual(Date.UTC(2025, 5, 1));
    expect(demo.emulator.clock.now()).toBeLessThan(Date.UTC(2025, 5, 2));
  });

  it('logs in end to end with the client it registered, and the token reads the sample listener', async () => {
    const t = await walkLogin(app, {
      emulator: demo.emulator,
      base: demo.baseUrl,
      client: demo.appConfig,
    });
    expect(t.callback.headers.location).toBe('/?connected=1');
    expect(t.sessionName).toBe(DEMO_SESSION_COOKIE);
    const token = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { origin: PUBLIC_URL, cookie: `${DEMO_SESSION_COOKIE}=${t.session}` },
    });
    const { accessToken } = token.json() as { accessToken: string };
    const me = await demo.emulator.app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.statusCode).toBe(200);
    expect((await app.inject('/api/config')).json()).toMatchObject({
      demo: true,
      apiBaseUrl: `${demo.baseUrl}/v1`,
    });
  });

  it('keeps its session in a cookie of its own: a demo run never overwrites or clears a real one (issue 12)', async () => {
    const demoLogin = await walkLogin(app, {
      emulator: demo.emulator,
      base: demo.baseUrl,
      client: demo.appConfig,
    });
    const real = `${SESSION_COOKIE}=v2.realkey1.the-real-session`;
    const cookie = `${real}; ${DEMO_SESSION_COOKIE}=${demoLogin.session}`;
    const answers = [
      demoLogin.callback,
      await app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { origin: PUBLIC_URL, cookie },
      }),
      await app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { origin: PUBLIC_URL, cookie },
        payload: { forceRefresh: true },
      }),
      await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { origin: PUBLIC_URL, cookie },
      }),
    ];
    for (const res of answers) expect(res.cookies.map((c) => c.name)).not.toContain(SESSION_COOKIE);
    // the token came from the demo cookie, not the real one beside it
    expect(answers[1]?.json()).toHaveProperty('accessToken');
    // and logging out of the demo clears only the demo cookie (at Path=/, and at the Path=/auth
    // of versions before the sync relay)
    expect(answers[3]?.cookies.map((c) => [c.name, c.path])).toEqual([
      [DEMO_SESSION_COOKIE, '/'],
      [DEMO_SESSION_COOKIE, '/auth'],
    ]);
  });

  it('exposes the emulator controls only when asked', async () => {
    expect((await demo.emulator.app.inject('/_emulator/clock')).statusCode).toBe(200);
    const quiet = await startDemo(loadConfig({ DEMO_EMULATOR_PORT: '0' }));
    try {
      expect((await quiet.emulator.app.inject('/_emulator/clock')).statusCode).toBe(404);
    } finally {
      await quiet.emulator.close();
    }
  });

  it('prints a banner that says demo, sample listener, and how to use real Spotify', () => {
    const banner = demoBanner(demo, env, PUBLIC_URL);
    expect(banner).toContain('DEMO MODE');
    expect(banner).toContain('sample listener');
    expect(banner).toContain('SPOTIFY_CLIENT_ID');
    expect(banner).toContain('end when this process stops');
    expect(banner).toContain(demo.baseUrl);
    expect(banner).not.toContain(demo.appConfig.clientSecret);
  });

  it('explains a busy emulator port', async () => {
    const port = new URL(demo.baseUrl).port;
    await expect(startDemo(loadConfig({ DEMO_EMULATOR_PORT: port }))).rejects.toThrow(
      /DEMO_EMULATOR_PORT/,
    );
  });
});
