import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { keyId } from './seal.js';
import {
  openSession,
  REFRESH_TOKEN_LIFE_MS,
  type Session,
  SESSION_COOKIE,
  sealSession,
} from './session.js';
import { PUBLIC_URL, testConfig } from './test-support/config.js';

const NOW = Date.UTC(2026, 10, 27, 12);
const session: Session = {
  refreshToken: 'rt-original',
  accessToken: 'at-cached',
  expiresAt: NOW + 30 * 60_000,
  scope: 'user-top-read',
  consentAt: NOW - 86_400_000,
};

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

// accounts URL points at the discard port: any call to Spotify fails as "unreachable"
async function appWithKey(key: Buffer | Buffer[], over: Parameters<typeof testConfig>[0] = {}) {
  app = await buildApp(testConfig({ sessionKeys: Array.isArray(key) ? key : [key], ...over }), {
    logger: false,
    now: () => NOW,
    accountsTimeoutMs: 2000,
  });
  return app;
}

function post(
  a: FastifyInstance,
  url: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return a.inject({
    method: 'POST',
    url,
    headers: {
      origin: PUBLIC_URL,
      ...(opts.cookie ? { cookie: `${SESSION_COOKIE}=${opts.cookie}` } : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined ? { payload: opts.body as object } : {}),
  });
}

describe('POST /auth/token without Spotify', () => {
  it('answers "not connected" without a cookie as a 200, which browsers do not log as an error (issue 12)', async () => {
    const a = await appWithKey(randomBytes(32));
    const res = await post(a, '/auth/token');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ connected: false, code: 'NOT_CONNECTED' });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('answers a warm access token from the cookie alone (Spotify unreachable here)', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const res = await post(a, '/auth/token', { cookie: sealSession(key, session), body: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      connected: true,
      accessToken: 'at-cached',
      expiresAt: session.expiresAt,
      scope: 'user-top-read',
    });
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refreshes when less than 60 s are left, and on forceRefresh; unreachable Spotify is 502 and keeps the cookie', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const nearlyExpired = sealSession(key, { ...session, expiresAt: NOW + 59_000 });
    for (const [cookie, body] of [
      [nearlyExpired, {}],
      [sealSession(key, session), { forceRefresh: true }],
    ] as const) {
      const res = await post(a, '/auth/token', { cookie, body });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({ code: 'UPSTREAM' });
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('clears a tampered cookie and one sealed with another key: a real failure, 401 SESSION_INVALID', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const good = sealSession(key, session);
    const tampered = `${good.slice(0, -4)}${good.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    for (const cookie of [tampered, sealSession(randomBytes(32), session), 'garbage']) {
      const res = await post(a, '/auth/token', { cookie });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ code: 'SESSION_INVALID' });
      const cleared = res.cookies.filter((c) => c.name === SESSION_COOKIE);
      // at Path=/, and at the Path=/auth where versions before the sync relay kept it on http
      expect(cleared.map((c) => [c.value, c.path])).toEqual([
        ['', '/'],
        ['', '/auth'],
      ]);
    }
  });

  it('refuses a bad body', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const res = await post(a, '/auth/token', {
      cookie: sealSession(key, session),
      body: { forceRefresh: 'yes' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'BAD_REQUEST' });
  });

  it('works on a second instance that shares the SESSION_KEY (stateless)', async () => {
    const key = randomBytes(32);
    const cookie = sealSession(key, session);
    const a = await appWithKey(key);
    const other = await buildApp(testConfig({ sessionKeys: [key] }), {
      logger: false,
      now: () => NOW,
    });
    try {
      expect((await post(a, '/auth/token', { cookie })).json()).toEqual(
        (await post(other, '/auth/token', { cookie })).json(),
      );
    } finally {
      await other.close();
    }
  });
});

describe('rotating SESSION_KEY (issue 12)', () => {
  it('answers a cookie sealed under the older key and seals it again under the newest', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const a = await appWithKey([newKey, oldKey]);
    const res = await post(a, '/auth/token', { cookie: sealSession(oldKey, session) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accessToken: 'at-cached' });
    const resealed = res.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    expect(resealed.startsWith(`v2.${keyId(newKey)}.`)).toBe(true);
    // once every cookie went through here, the old key can go
    expect(openSession(newKey, resealed)).toEqual(session);
    // a cookie already under the newest key is not rewritten on a warm answer
    const current = await post(a, '/auth/token', { cookie: resealed });
    expect(current.statusCode).toBe(200);
    expect(current.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a cookie whose key was dropped from the list', async () => {
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const a = await appWithKey([newKey]);
    const res = await post(a, '/auth/token', { cookie: sealSession(oldKey, session) });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ code: 'SESSION_INVALID' });
  });
});

describe("the session's age, checked by the server (issue 12)", () => {
  it('refuses a session consented longer ago than a refresh token lives, without asking Spotify', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    // a warm access token would answer at once: the age check comes first
    const old = sealSession(key, { ...session, consentAt: NOW - REFRESH_TOKEN_LIFE_MS - 60_000 });
    const res = await post(a, '/auth/token', { cookie: old });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ connected: false, code: 'AUTH_EXPIRED' });
    const cleared = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    // six calendar months are at most 184 days: a day younger still answers
    const young = sealSession(key, {
      ...session,
      consentAt: NOW - REFRESH_TOKEN_LIFE_MS + 86_400_000,
    });
    expect((await post(a, '/auth/token', { cookie: young })).json()).toMatchObject({
      accessToken: 'at-cached',
    });
    expect(REFRESH_TOKEN_LIFE_MS).toBe(184 * 86_400_000);
  });
});

describe('cross-origin protection', () => {
  it('refuses POSTs from another origin, or with neither Origin nor Referer', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const cookie = sealSession(key, session);
    const cases: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'http://127.0.0.1:5173' }, // same site, other port: still another origin
      { origin: 'null' },
      { origin: '', referer: 'https://evil.example/page' },
    ];
    for (const headers of cases) {
      for (const url of ['/auth/token', '/auth/logout']) {
        const res = await a.inject({
          method: 'POST',
          url,
          headers: { cookie: `${SESSION_COOKIE}=${cookie}`, ...headers },
        });
        expect(res.statusCode, `${url} ${JSON.stringify(headers)}`).toBe(403);
        expect(res.json()).toMatchObject({ code: 'CROSS_ORIGIN', message: expect.any(String) });
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    }
    const bare = await a.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { cookie: `${SESSION_COOKIE}=${cookie}` },
    });
    expect(bare.statusCode).toBe(403);
  });

  it('accepts a same-origin Referer when Origin is missing', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const res = await a.inject({
      method: 'POST',
      url: '/auth/token',
      headers: {
        cookie: `${SESSION_COOKIE}=${sealSession(key, session)}`,
        referer: `${PUBLIC_URL}/diary`,
      },
    });
    expect(res.statusCode).toBe(200);
  });
});

describe('POST /auth/logout', () => {
  it('clears the session cookie with the same path and flags', async () => {
    const key = randomBytes(32);
    const a = await appWithKey(key);
    const res = await post(a, '/auth/logout', { cookie: sealSession(key, session) });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.filter((x) => x.name === SESSION_COOKIE);
    for (const c of cleared)
      expect(c).toMatchObject({ value: '', httpOnly: true, sameSite: 'Strict' });
    expect(cleared.map((c) => c.path)).toEqual(['/', '/auth']);
  });
});

describe('rate limiting', () => {
  it('answers 429 RATE_LIMITED with Retry-After past the per-minute budget', async () => {
    const a = await appWithKey(randomBytes(32), {
      rateLimit: { authPerMinute: 2, tokenPerMinute: 3 },
    });
    const codes: number[] = [];
    for (let i = 0; i < 4; i += 1) codes.push((await post(a, '/auth/token')).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const limited = await post(a, '/auth/token');
    expect(limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const logins = [];
    for (let i = 0; i < 3; i += 1) logins.push((await a.inject('/auth/login')).statusCode);
    expect(logins).toEqual([302, 302, 429]);
  });
});
