import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { SCOPES } from './oauth.js';
import { openSession, type Session, SESSION_COOKIE, sealSession } from './session.js';
import { logCapture, PUBLIC_URL, testConfig } from './test-support/config.js';
import {
  cookieHeader,
  cookiesFrom,
  startTestEmulator,
  type TestEmulator,
  walkLogin,
} from './test-support/flow.js';

const SEVEN_MONTHS_MS = 7 * 31 * 24 * 3600_000;

async function tokenCount(emu: TestEmulator): Promise<number> {
  const res = await emu.emulator.app.inject('/_emulator/requests');
  return (res.json() as { byOperation: Record<string, number> }).byOperation['accounts-token'] ?? 0;
}

function postToken(app: FastifyInstance, session: string, body: object = {}) {
  return app.inject({
    method: 'POST',
    url: '/auth/token',
    headers: { origin: PUBLIC_URL, cookie: `${SESSION_COOKIE}=${session}` },
    payload: body,
  });
}

async function meStatus(emu: TestEmulator, accessToken: string): Promise<number> {
  return (
    await emu.emulator.app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${accessToken}` },
    })
  ).statusCode;
}

describe('login flow against the emulator', () => {
  let emu: TestEmulator;
  let app: FastifyInstance;
  const key = randomBytes(32);
  const logs = logCapture();
  const responses: LightMyRequestResponse[] = [];
  const refreshTokens = new Set<string>();
  const codes = new Set<string>();

  function keep(res: LightMyRequestResponse) {
    responses.push(res);
    const s = cookiesFrom(res)[SESSION_COOKIE];
    const opened = s ? openSession(key, s) : null;
    if (opened) refreshTokens.add(opened.refreshToken);
    return res;
  }

  beforeAll(async () => {
    emu = await startTestEmulator({ rotateRefreshToken: 'always' });
    app = await buildApp(
      testConfig({
        ...emu.client,
        sessionKeys: [key],
        accountsUrl: `${emu.base}/accounts`,
        apiUrl: `${emu.base}/v1`,
      }),
      { logger: { level: 'debug', stream: logs.stream } },
    );
  });
  afterAll(async () => {
    await app.close();
    await emu.emulator.close();
  });

  it('login -> consent Agree -> callback sets the sealed cookie and lands on /?connected=1', async () => {
    const t = await walkLogin(app, emu);
    [t.login, t.callback].forEach(keep);
    codes.add(t.callbackUrl.searchParams.get('code') ?? '');

    const q = t.authorizeUrl.searchParams;
    expect(`${t.authorizeUrl.origin}${t.authorizeUrl.pathname}`).toBe(
      `${emu.base}/accounts/authorize`,
    );
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe(emu.client.clientId);
    expect(q.get('redirect_uri')).toBe(`${PUBLIC_URL}/auth/callback`);
    expect(q.get('scope')?.split(' ').sort()).toEqual([...SCOPES].sort());
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state')?.length).toBeGreaterThanOrEqual(16);
    expect(Object.keys(t.flowCookies).sort()).toEqual([
      'oauth2-code-verifier',
      'oauth2-redirect-state',
    ]);
    for (const c of t.login.cookies)
      expect(c).toMatchObject({ path: '/auth', httpOnly: true, sameSite: 'Lax' });

    expect(t.callback.statusCode).toBe(302);
    expect(t.callback.headers.location).toBe('/?connected=1');
    expect(t.session).not.toBeNull();
    const cookie = t.callback.cookies.find((c) => c.name === SESSION_COOKIE);
    // Strict for the session; the state and verifier above stay Lax to survive Spotify's redirect.
    // Path=/ so /sync reads it too; the Path=/auth cookie of older versions is removed.
    expect(cookie).toMatchObject({ path: '/', httpOnly: true, sameSite: 'Strict' });
    expect(
      t.callback.cookies.find((c) => c.name === SESSION_COOKIE && c.path === '/auth'),
    ).toMatchObject({ value: '' });
    expect(cookie?.secure).toBeFalsy();
    expect(cookie?.maxAge).toBeGreaterThan(210 * 86_400);
    // the one-time state and verifier are gone
    for (const name of ['oauth2-code-verifier', 'oauth2-redirect-state']) {
      expect(t.callback.cookies.find((c) => c.name === name)?.value).toBe('');
    }

    const first = keep(await postToken(app, t.session as string));
    expect(first.statusCode).toBe(200);
    const body = first.json() as { accessToken: string; expiresAt: number; scope: string };
    expect(body.scope.split(' ').sort()).toEqual([...SCOPES].sort());
    expect(body.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(await meStatus(emu, body.accessToken)).toBe(200);

    // warm: answered from the cookie, Spotify not called
    const before = await tokenCount(emu);
    const again = keep(await postToken(app, t.session as string));
    expect(again.json()).toEqual(body);
    expect(await tokenCount(emu)).toBe(before);
  });

  it('asks Spotify to show its dialog for "Connect another account" (/auth/login?another=1), only then (issue 12)', async () => {
    const authorize = async (path: string) => {
      const res = keep(await app.inject(path));
      expect(res.statusCode, path).toBe(302);
      return new URL(String(res.headers.location));
    };
    const another = await authorize('/auth/login?another=1');
    expect(another.searchParams.get('show_dialog')).toBe('true');
    // the rest of the request is the usual one, and the accounts service takes it
    expect(another.searchParams.get('code_challenge_method')).toBe('S256');
    expect(another.searchParams.get('client_id')).toBe(emu.client.clientId);
    expect((await emu.emulator.app.inject(another.pathname + another.search)).statusCode).toBe(200);
    for (const path of ['/auth/login', '/auth/login?another=0', '/auth/login?another=yes'])
      expect((await authorize(path)).searchParams.has('show_dialog'), path).toBe(false);
  });

  it('refuses a callback whose state does not match its cookie, and one without the cookies', async () => {
    const t = await walkLogin(app, emu);
    keep(t.callback);
    const url = new URL(t.callbackUrl);
    url.searchParams.set('state', 'forged-state-value');
    const forged = keep(
      await app.inject({
        url: url.pathname + url.search,
        headers: { cookie: cookieHeader(t.flowCookies) },
      }),
    );
    expect(forged.headers.location).toBe('/connect?error=state_mismatch');
    expect(cookiesFrom(forged)[SESSION_COOKIE]).toBeUndefined();

    const t2 = await walkLogin(app, emu);
    const bare = keep(await app.inject(t2.callbackUrl.pathname + t2.callbackUrl.search));
    expect(bare.headers.location).toBe('/connect?error=state_mismatch');
    // state and verifier cookies signed by an instance with another key do not pass either
    const other = await buildApp(
      testConfig({ ...emu.client, accountsUrl: `${emu.base}/accounts` }),
      { logger: false },
    );
    try {
      const foreign = await walkLogin(other, emu);
      const crossKey = keep(
        await app.inject({
          url: foreign.callbackUrl.pathname + foreign.callbackUrl.search,
          headers: { cookie: cookieHeader(foreign.flowCookies) },
        }),
      );
      expect(crossKey.headers.location).toBe('/connect?error=state_mismatch');
    } finally {
      await other.close();
    }
  });

  it('finishes a login begun before SESSION_KEY was rotated, sealing the session with the new key (issue 12)', async () => {
    const newKey = randomBytes(32);
    const rotated = await buildApp(
      testConfig({
        ...emu.client,
        sessionKeys: [newKey, key],
        accountsUrl: `${emu.base}/accounts`,
      }),
      { logger: false },
    );
    try {
      // login and consent on the old deployment, callback answered by the rotated one
      const t = await walkLogin(app, emu, { callbackApp: rotated });
      const res = keep(t.callback);
      expect(res.headers.location).toBe('/?connected=1');
      const sealed = cookiesFrom(res)[SESSION_COOKIE] as string;
      expect(openSession(newKey, sealed)).not.toBeNull();
      expect(openSession(key, sealed)).toBeNull();
    } finally {
      await rotated.close();
    }
  });

  it('refuses a replayed authorization code', async () => {
    const t = await walkLogin(app, emu);
    keep(t.callback);
    codes.add(t.callbackUrl.searchParams.get('code') ?? '');
    expect(t.callback.headers.location).toBe('/?connected=1');
    const replay = keep(
      await app.inject({
        url: t.callbackUrl.pathname + t.callbackUrl.search,
        headers: { cookie: cookieHeader(t.flowCookies) },
      }),
    );
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe('/connect?error=invalid_code');
    expect(cookiesFrom(replay)[SESSION_COOKIE]).toBeUndefined();
  });

  it('lands a Cancel on /connect?error=access_denied without a session', async () => {
    const t = await walkLogin(app, emu, { decision: 'cancel' });
    keep(t.callback);
    expect(t.callback.statusCode).toBe(302);
    expect(t.callback.headers.location).toBe('/connect?error=access_denied');
    expect(t.session).toBeNull();
  });

  it('checks the state of an error reply before acting on it (issue 12)', async () => {
    const login = keep(await app.inject('/auth/login'));
    const state = new URL(String(login.headers.location)).searchParams.get('state') as string;
    const flow = cookieHeader(cookiesFrom(login));
    // any page can send the browser to the callback with an error and a made-up state
    for (const query of [
      '?error=access_denied',
      '?error=access_denied&state=forged-state-value',
      `?error=access_denied&state=${state}x`,
      `?error=server_error&state=${state.slice(1)}`,
    ]) {
      const forged = keep(
        await app.inject({ url: `/auth/callback${query}`, headers: { cookie: flow } }),
      );
      expect(forged.headers.location, query).toBe('/connect?error=state_mismatch');
      // the login in progress keeps its state and verifier
      expect(forged.headers['set-cookie'], query).toBeUndefined();
    }
    // the right state without the cookies that prove this browser started the flow
    const bare = keep(await app.inject(`/auth/callback?error=access_denied&state=${state}`));
    expect(bare.headers.location).toBe('/connect?error=state_mismatch');
    // the genuine denial is still honoured, and ends the flow
    const denied = keep(
      await app.inject({
        url: `/auth/callback?error=access_denied&state=${state}`,
        headers: { cookie: flow },
      }),
    );
    expect(denied.headers.location).toBe('/connect?error=access_denied');
    expect(denied.cookies.filter((c) => c.value === '').map((c) => c.name)).toEqual(
      expect.arrayContaining(['oauth2-code-verifier', 'oauth2-redirect-state']),
    );
  });

  it('forceRefresh gets a new access token and stores the rotated refresh token', async () => {
    const t = await walkLogin(app, emu);
    keep(t.callback);
    const before = openSession(key, t.session as string);
    const res = keep(await postToken(app, t.session as string, { forceRefresh: true }));
    expect(res.statusCode).toBe(200);
    const body = res.json() as { accessToken: string };
    expect(body.accessToken).not.toBe(before?.accessToken);
    expect(await meStatus(emu, body.accessToken)).toBe(200);
    const after = openSession(key, cookiesFrom(res)[SESSION_COOKIE] as string);
    expect(after?.refreshToken).toBeDefined();
    expect(after?.refreshToken).not.toBe(before?.refreshToken);
    expect(after?.consentAt).toBe(before?.consentAt);
    expect(after?.accessToken).toBe(body.accessToken);
    // a refresh never changes the account the session was issued for (the sync namespace)
    expect(before?.accountId).toMatch(/^31[a-z2-7]{26}$/);
    expect(after?.accountId).toBe(before?.accountId);
  });

  it('shares one Spotify call between concurrent refreshes of the same session', async () => {
    const t = await walkLogin(app, emu);
    keep(t.callback);
    const before = await tokenCount(emu);
    const [a, b] = await Promise.all([
      postToken(app, t.session as string, { forceRefresh: true }),
      postToken(app, t.session as string, { forceRefresh: true }),
    ]);
    [a, b].forEach(keep);
    expect(await tokenCount(emu)).toBe(before + 1);
    expect(a.json()).toEqual(b.json());
    expect(a.statusCode).toBe(200);
  });

  it('never puts the client secret, a refresh token or a code in a body, a header other than Set-Cookie, or a log line', () => {
    const basic = Buffer.from(`${emu.client.clientId}:${emu.client.clientSecret}`).toString(
      'base64',
    );
    const secrets = [emu.client.clientSecret, basic, ...refreshTokens, ...codes].filter(
      (s) => s.length > 8,
    );
    expect(refreshTokens.size).toBeGreaterThanOrEqual(3);
    expect(codes.size).toBe(2);
    expect(logs.lines.length).toBeGreaterThan(10);
    for (const res of responses) {
      const headers = Object.entries(res.headers)
        .filter(([k]) => k !== 'set-cookie')
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('\n');
      for (const s of secrets) {
        expect(res.body).not.toContain(s);
        expect(headers).not.toContain(s);
      }
    }
    const log = logs.lines.join('\n');
    for (const s of secrets) expect(log).not.toContain(s);
    expect(log).toContain('/auth/callback?');
  });
});

describe('refresh without rotation, expiry and outages', () => {
  let emu: TestEmulator;
  let app: FastifyInstance;
  const key = randomBytes(32);
  beforeAll(async () => {
    emu = await startTestEmulator({ rotateRefreshToken: 'never' });
    app = await buildApp(
      testConfig({ ...emu.client, sessionKeys: [key], accountsUrl: `${emu.base}/accounts` }),
      { logger: false },
    );
  });
  afterAll(async () => {
    await app.close();
    await emu.emulator.close();
  });

  it('keeps the old refresh token when Spotify does not send a new one', async () => {
    const t = await walkLogin(app, emu);
    const before = openSession(key, t.session as string);
    const res = await postToken(app, t.session as string, { forceRefresh: true });
    expect(res.statusCode).toBe(200);
    const after = openSession(key, cookiesFrom(res)[SESSION_COOKIE] as string);
    expect(after?.refreshToken).toBe(before?.refreshToken);
    expect(after?.accessToken).not.toBe(before?.accessToken);
    // and that kept token still refreshes
    const again = await postToken(app, cookiesFrom(res)[SESSION_COOKIE] as string, {
      forceRefresh: true,
    });
    expect(again.statusCode).toBe(200);
  });

  it('lets the cookie expire a month after the refresh token (7 months after consent), not after the last refresh', async () => {
    const t = await walkLogin(app, emu);
    const opened = openSession(key, t.session as string);
    const consentAt = Date.now() - 100 * 86_400_000;
    const older = sealSession(key, { ...(opened as Session), consentAt });
    const res = await postToken(app, older, { forceRefresh: true });
    const maxAge = res.cookies.find((c) => c.name === SESSION_COOKIE)?.maxAge ?? 0;
    // 184 days of refresh-token life + 30, less the 100 already gone
    expect(maxAge).toBeGreaterThan(113 * 86_400);
    expect(maxAge).toBeLessThanOrEqual(114 * 86_400);
    expect(openSession(key, cookiesFrom(res)[SESSION_COOKIE] as string)?.consentAt).toBe(consentAt);
  });

  it('answers 502 UPSTREAM and keeps the cookie when Spotify is unreachable', async () => {
    const t = await walkLogin(app, emu);
    // another instance with the same key (stateless), whose accounts service is down
    const down = await buildApp(
      testConfig({ ...emu.client, sessionKeys: [key], accountsUrl: 'http://127.0.0.1:9/accounts' }),
      {
        logger: false,
      },
    );
    try {
      const warm = await postToken(down, t.session as string);
      expect(warm.statusCode).toBe(200);
      const res = await postToken(down, t.session as string, { forceRefresh: true });
      expect(res.statusCode).toBe(502);
      expect(res.json()).toEqual({ code: 'UPSTREAM' });
      expect(res.headers['set-cookie']).toBeUndefined();
    } finally {
      await down.close();
    }
  });

  it('clears the cookie and answers AUTH_EXPIRED once the refresh token dies (7 months later)', async () => {
    const t = await walkLogin(app, emu);
    emu.emulator.clock.advance(SEVEN_MONTHS_MS);
    const res = await postToken(app, t.session as string, { forceRefresh: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ connected: false, code: 'AUTH_EXPIRED' });
    const cleared = res.cookies.filter((x) => x.name === SESSION_COOKIE);
    expect(cleared.map((c) => [c.value, c.path])).toEqual([
      ['', '/'],
      ['', '/auth'],
    ]);
  });
});

describe('behind https', () => {
  it('marks the session and flow cookies Secure and uses __Host- names for the one-time cookies', async () => {
    const publicUrl = 'https://mtm.example.org';
    const emu = await startTestEmulator({}, publicUrl);
    const app = await buildApp(
      testConfig({ ...emu.client, publicUrl, accountsUrl: `${emu.base}/accounts` }),
      { logger: false },
    );
    try {
      const t = await walkLogin(app, emu);
      expect(new URL(t.authorizeUrl).searchParams.get('redirect_uri')).toBe(
        `${publicUrl}/auth/callback`,
      );
      expect(Object.keys(t.flowCookies).sort()).toEqual([
        '__Host-oauth2-code-verifier',
        '__Host-oauth2-redirect-state',
      ]);
      for (const c of t.login.cookies)
        expect(c).toMatchObject({ secure: true, path: '/', httpOnly: true, sameSite: 'Lax' });
      expect(t.callback.headers.location).toBe('/?connected=1');
      const denied = await walkLogin(app, emu, { decision: 'cancel' });
      expect(denied.callback.headers.location).toBe('/connect?error=access_denied');
      // the denied flow's one-time cookies are removed under the names they were set with
      const cleared = denied.callback.cookies
        .filter((c) => c.value === '')
        .map((c) => c.name)
        .sort();
      expect(cleared).toEqual(['__Host-oauth2-code-verifier', '__Host-oauth2-redirect-state']);
    } finally {
      await app.close();
      await emu.emulator.close();
    }
  });

  it('keeps the session in a __Host- cookie, Path=/, SameSite=Strict, so a sibling subdomain cannot plant one (issue 12)', async () => {
    const publicUrl = 'https://mtm.example.org';
    const emu = await startTestEmulator({}, publicUrl);
    const key = randomBytes(32);
    const app = await buildApp(
      testConfig({
        ...emu.client,
        publicUrl,
        sessionKeys: [key],
        accountsUrl: `${emu.base}/accounts`,
      }),
      { logger: false },
    );
    const token = (cookie: string) =>
      app.inject({ method: 'POST', url: '/auth/token', headers: { origin: publicUrl, cookie } });
    try {
      const t = await walkLogin(app, emu);
      expect(t.sessionName).toBe(`__Host-${SESSION_COOKIE}`);
      const set = t.callback.cookies.find((c) => c.name === `__Host-${SESSION_COOKIE}`);
      expect(set).toMatchObject({ secure: true, path: '/', httpOnly: true, sameSite: 'Strict' });
      expect(set?.domain).toBeUndefined();
      expect(t.callback.cookies.find((c) => c.name === SESSION_COOKIE)).toBeUndefined();

      const ok = await token(`__Host-${SESSION_COOKIE}=${t.session}`);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toHaveProperty('accessToken');
      // a valid session sealed for the unprefixed name (all a sibling subdomain can set) is not
      // read, neither under that name nor moved under the prefixed one (the seal binds the name)
      const prefixed = `__Host-${SESSION_COOKIE}`;
      const plain = sealSession(key, openSession(key, t.session as string, prefixed) as Session);
      for (const cookie of [`${SESSION_COOKIE}=${plain}`, `${prefixed}=${plain}`])
        expect((await token(cookie)).json(), cookie).not.toHaveProperty('accessToken');

      const out = await app.inject({
        method: 'POST',
        url: '/auth/logout',
        headers: { origin: publicUrl, cookie: `__Host-${SESSION_COOKIE}=${t.session}` },
      });
      expect(out.cookies.find((c) => c.name === `__Host-${SESSION_COOKIE}`)).toMatchObject({
        value: '',
        path: '/',
        secure: true,
        sameSite: 'Strict',
      });
    } finally {
      await app.close();
      await emu.emulator.close();
    }
  });
});
