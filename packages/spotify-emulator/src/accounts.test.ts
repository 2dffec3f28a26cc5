import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type Emulator, createEmulator } from './index.js';

const REDIRECT = 'http://127.0.0.1:8888/auth/callback';
const CLIENT = { clientId: 'client-a', clientSecret: 'secret-a', redirectUris: [REDIRECT] };
const SCOPES =
  'user-top-read user-read-recently-played playlist-modify-private playlist-modify-public';
const VERIFIER = 'v'.repeat(20) + 'erifier-0123456789-abcdefghijklmnop';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const DAY = 86_400_000;

let emulator: Emulator;
afterEach(async () => {
  await emulator?.close();
});

function form(data: Record<string, string>) {
  return new URLSearchParams(data).toString();
}

function basic(id: string, secret: string) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

async function setup(opts: Parameters<typeof createEmulator>[0] = {}) {
  emulator = await createEmulator({ startTime: Date.UTC(2026, 5, 1), clients: [CLIENT], ...opts });
  return emulator;
}

async function consent(extra: Record<string, string> = {}) {
  const res = await emulator.app.inject({
    method: 'POST',
    url: '/accounts/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form({
      client_id: CLIENT.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPES,
      state: 'st4te',
      code_challenge_method: 'S256',
      code_challenge: CHALLENGE,
      decision: 'agree',
      ...extra,
    }),
  });
  return res;
}

async function codeFromConsent(extra: Record<string, string> = {}) {
  const res = await consent(extra);
  expect(res.statusCode).toBe(302);
  const url = new URL(res.headers.location as string);
  expect(url.searchParams.get('state')).toBe('st4te');
  return url.searchParams.get('code') as string;
}

async function exchange(
  code: string,
  extra: Record<string, string> = {},
  auth = basic(CLIENT.clientId, CLIENT.clientSecret),
) {
  return emulator.app.inject({
    method: 'POST',
    url: '/accounts/api/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: auth },
    payload: form({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT,
      code_verifier: VERIFIER,
      ...extra,
    }),
  });
}

async function refresh(refreshToken: string) {
  return emulator.app.inject({
    method: 'POST',
    url: '/accounts/api/token',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(CLIENT.clientId, CLIENT.clientSecret),
    },
    payload: form({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
}

describe('GET /accounts/authorize', () => {
  it('shows a consent page with Agree, Cancel and an account picker for a valid request', async () => {
    await setup();
    const res = await emulator.app.inject({
      url: `/accounts/authorize?${form({ client_id: CLIENT.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPES, state: 'x', code_challenge_method: 'S256', code_challenge: CHALLENGE })}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('id="agree"');
    expect(res.body).toContain('id="cancel"');
    expect(res.body).toContain('name="account" value="listener"');
    expect(res.body).toContain('name="account" value="outsider"');
    expect(res.body).toContain(`value="${CHALLENGE}"`);
  });

  it('escapes request values it echoes into the page, and carries them through the form unchanged', async () => {
    await setup();
    const state = '"><script>alert(1)</script>&x=1';
    const res = await emulator.app.inject({
      url: `/accounts/authorize?${form({ client_id: CLIENT.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: SCOPES, state })}`,
    });
    expect(res.body).not.toContain('<script>');
    const hidden = /<input type="hidden" name="state" value="([^"]*)">/.exec(res.body)?.[1] ?? '';
    expect(hidden.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))).toBe(
      state,
    );
  });

  it('never redirects to an unregistered redirect URI: it shows an error page instead', async () => {
    await setup();
    const res = await emulator.app.inject({
      url: `/accounts/authorize?${form({ client_id: CLIENT.clientId, response_type: 'code', redirect_uri: 'http://127.0.0.1:9999/evil', scope: SCOPES })}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers.location).toBeUndefined();
    expect(res.body).toContain('Invalid redirect URI');
  });

  it('rejects an unknown client with an error page', async () => {
    await setup();
    const res = await emulator.app.inject({
      url: `/accounts/authorize?${form({ client_id: 'nope', response_type: 'code', redirect_uri: REDIRECT })}`,
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Invalid client');
  });

  it.each([
    [{ response_type: 'token' }, 'unsupported_response_type'],
    [{ scope: 'user-top-read made-up-scope' }, 'invalid_scope'],
    [{ code_challenge_method: 'plain' }, 'invalid_request'],
  ])('redirects with an OAuth error for %o', async (override, error) => {
    await setup();
    const q = {
      client_id: CLIENT.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPES,
      state: 'abc',
      code_challenge_method: 'S256',
      code_challenge: CHALLENGE,
      ...override,
    };
    const res = await emulator.app.inject({ url: `/accounts/authorize?${form(q)}` });
    expect(res.statusCode).toBe(302);
    const url = new URL(res.headers.location as string);
    expect(url.origin + url.pathname).toBe(REDIRECT);
    expect(url.searchParams.get('error')).toBe(error);
    expect(url.searchParams.get('state')).toBe('abc');
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    await setup();
    const res = await consent({ decision: 'cancel' });
    const url = new URL(res.headers.location as string);
    expect(url.searchParams.get('error')).toBe('access_denied');
    expect(url.searchParams.get('state')).toBe('st4te');
    expect(url.searchParams.get('code')).toBeNull();
  });
});

describe('POST /accounts/api/token', () => {
  it('exchanges a code once, with PKCE, like the real service answers', async () => {
    await setup();
    const code = await codeFromConsent();
    const res = await exchange(code);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: SCOPES });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    const me = await emulator.app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${body.access_token}` },
    });
    expect(me.statusCode).toBe(200);

    const replay = await exchange(code);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().error).toBe('invalid_grant');
  });

  it('refuses a wrong code_verifier, a wrong redirect_uri and a wrong secret', async () => {
    await setup();
    const code = await codeFromConsent();
    expect((await exchange(code, { code_verifier: 'x'.repeat(43) })).json().error).toBe(
      'invalid_grant',
    );
    expect(
      (await exchange(code, { redirect_uri: 'http://127.0.0.1:8888/other' })).json().error,
    ).toBe('invalid_grant');
    const wrongSecret = await exchange(code, {}, basic(CLIENT.clientId, 'wrong'));
    expect(wrongSecret.json().error).toBe('invalid_client');
    expect(wrongSecret.body).not.toContain('wrong');
    // None of the failures consumed the code.
    expect((await exchange(code)).statusCode).toBe(200);
  });

  it('lets codes expire after 10 minutes of emulator time', async () => {
    await setup();
    const code = await codeFromConsent();
    emulator.clock.advance(10 * 60_000 + 1);
    const res = await exchange(code);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('invalid_grant');
  });

  it('refresh with rotateRefreshToken "never" keeps the refresh token; "always" issues a new one', async () => {
    await setup({ rotateRefreshToken: 'never' });
    const first = (await exchange(await codeFromConsent())).json();
    const r1 = await refresh(first.refresh_token);
    expect(r1.statusCode).toBe(200);
    expect(r1.json().refresh_token).toBeUndefined();
    expect(r1.json().access_token).not.toBe(first.access_token);
    await emulator.close();

    await setup({ rotateRefreshToken: 'always' });
    const second = (await exchange(await codeFromConsent())).json();
    const r2 = (await refresh(second.refresh_token)).json();
    expect(typeof r2.refresh_token).toBe('string');
    expect(r2.refresh_token).not.toBe(second.refresh_token);
    expect((await refresh(r2.refresh_token)).statusCode).toBe(200);
  });

  it('"sometimes" rotates on some refreshes and not on others', async () => {
    await setup();
    const first = (await exchange(await codeFromConsent())).json();
    const rotated: boolean[] = [];
    for (let i = 0; i < 12; i++)
      rotated.push((await refresh(first.refresh_token)).json().refresh_token !== undefined);
    expect(rotated).toContain(true);
    expect(rotated).toContain(false);
  });

  it('answers invalid_grant "Refresh token revoked" once the lifetime since consent has passed, refreshes notwithstanding', async () => {
    await setup({ refreshTokenLifetimeMs: 183 * DAY, rotateRefreshToken: 'always' });
    let token = (await exchange(await codeFromConsent())).json().refresh_token as string;
    emulator.clock.advance(100 * DAY);
    const mid = await refresh(token);
    expect(mid.statusCode).toBe(200);
    token = mid.json().refresh_token;
    emulator.clock.advance(83 * DAY);
    const late = await refresh(token);
    expect(late.statusCode).toBe(400);
    expect(late.json()).toEqual({
      error: 'invalid_grant',
      error_description: 'Refresh token revoked',
    });
  });

  it("expires access tokens after accessTokenLifetimeS with Spotify's 401 body", async () => {
    await setup({ accessTokenLifetimeS: 60 });
    const { access_token } = (await exchange(await codeFromConsent())).json();
    emulator.clock.advance(61_000);
    const res = await emulator.app.inject({
      url: '/v1/me',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { status: 401, message: 'The access token expired' } });
  });
});

describe('registerClient', () => {
  it('refuses localhost redirect URIs the way Spotify does (loopback must be an IP literal)', async () => {
    await setup();
    expect(() =>
      emulator.registerClient({
        clientId: 'x',
        clientSecret: 'y',
        redirectUris: ['http://localhost:8888/cb'],
      }),
    ).toThrow(/localhost/);
    expect(() =>
      emulator.registerClient({
        clientId: 'x',
        clientSecret: 'y',
        redirectUris: ['http://example.com/cb'],
      }),
    ).toThrow(/https/);
    expect(() =>
      emulator.registerClient({
        clientId: 'x',
        clientSecret: 'y',
        redirectUris: ['http://[::1]:8888/cb', 'https://example.com/cb'],
      }),
    ).not.toThrow();
  });
});
