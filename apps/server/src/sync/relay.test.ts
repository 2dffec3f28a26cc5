import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createSealer } from '../seal.js';
import { REFRESH_TOKEN_LIFE_MS, SESSION_COOKIE } from '../session.js';
import { logCapture, PUBLIC_URL, testConfig } from '../test-support/config.js';
import { b64, cookieFor, sessionFor, syncCall, tempDataDir } from '../test-support/sync.js';
import { createWebBuildFixture } from '../test-support/web-build-fixture.js';
import { LIMITS, MIB } from './protocol.js';

const data = tempDataDir();
const fixture = createWebBuildFixture();
afterAll(() => {
  data.cleanup();
  fixture.cleanup();
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function relayApp(
  opts: { quotaBytes?: number; perMinute?: number; logs?: ReturnType<typeof logCapture> } = {},
) {
  const key = randomBytes(32);
  const app = await buildApp(
    testConfig({
      sessionKeys: [key],
      webBuildDir: fixture.dir,
      rateLimit: { authPerMinute: 30, tokenPerMinute: 120, syncPerMinute: opts.perMinute ?? 1000 },
      sync: { dataDir: data.dir, databaseUrl: null, quotaBytes: opts.quotaBytes ?? 256 * MIB },
    }),
    { logger: opts.logs ? { level: 'debug', stream: opts.logs.stream } : false },
  );
  apps.push(app);
  const as = (accountId: string | undefined) => cookieFor(key, sessionFor(accountId));
  return { app, key, as };
}

function account(): string {
  return `31${randomBytes(8).toString('hex')}`;
}

const put = (app: FastifyInstance, cookie: string, records: unknown[]) =>
  syncCall(app, 'PUT', '/sync/records', { cookie, body: { records } });

function expectError(res: LightMyRequestResponse, status: number, code: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { code: string; message: string };
  expect(body.code).toBe(code);
  // every refusal has words for a developer, not just a code
  expect(body.message.length).toBeGreaterThan(10);
}

describe('the sync relay over HTTP', () => {
  it('puts, lists, reports, drops old epochs and deletes, for the account of the session', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    const bodies = [randomBytes(300), randomBytes(17), Buffer.from('ciphertext, honestly')];
    const first = await put(app, me, [
      { id: 'plays-2024-03', epoch: 1, body: b64(bodies[0] as Buffer) },
      { id: 'settings', epoch: 1, body: b64(bodies[1] as Buffer) },
    ]);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ cursor: 2 });
    expect(first.headers['cache-control']).toBe('no-store');
    // the same again is a no-op; a new epoch for the same id replaces it under a new seq
    expect(
      (await put(app, me, [{ id: 'settings', epoch: 1, body: b64(bodies[1] as Buffer) }])).json(),
    ).toEqual({ cursor: 2 });
    expect(
      (await put(app, me, [{ id: 'settings', epoch: 2, body: b64(bodies[2] as Buffer) }])).json(),
    ).toEqual({ cursor: 3 });

    const all = await syncCall(app, 'GET', '/sync/records', { cookie: me });
    expect(all.statusCode).toBe(200);
    expect(all.headers['cache-control']).toBe('no-store');
    expect(all.json()).toEqual({
      records: [
        { seq: 1, id: 'plays-2024-03', epoch: 1, body: b64(bodies[0] as Buffer) },
        { seq: 3, id: 'settings', epoch: 2, body: b64(bodies[2] as Buffer) },
      ],
      cursor: 3,
      more: false,
    });
    const paged = await syncCall(app, 'GET', '/sync/records?after=1&limit=1', { cookie: me });
    expect(paged.json()).toMatchObject({ cursor: 3, more: false, records: [{ seq: 3 }] });
    const head = await syncCall(app, 'GET', '/sync/records?limit=1', { cookie: me });
    expect(head.json()).toMatchObject({ cursor: 1, more: true });

    const status = await syncCall(app, 'GET', '/sync/status', { cookie: me });
    expect(status.json()).toEqual({
      records: 2,
      bytes: 300 + 20,
      quotaBytes: 256 * MIB,
      cursor: 3,
      epoch: 2,
    });

    const dropped = await syncCall(app, 'DELETE', '/sync/records?epochBelow=2', { cookie: me });
    expect(dropped.json()).toEqual({ deleted: 1 });
    const gone = await syncCall(app, 'DELETE', '/sync', { cookie: me });
    expect(gone.json()).toEqual({ deleted: 1 });
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: me })).json()).toMatchObject({
      records: 0,
      bytes: 0,
      cursor: 3,
      epoch: null,
    });
  });

  it('reads and writes only the namespace sealed in the session, whatever the request says', async () => {
    const { app, as } = await relayApp();
    const [alice, bob] = [account(), account()];
    await put(app, as(alice), [{ id: 'a', epoch: 1, body: b64('alice') }]);
    await put(app, as(bob), [{ id: 'a', epoch: 1, body: b64('bob') }]);
    // naming the other account anywhere in the request changes nothing, or is refused
    const tries = [
      syncCall(app, 'GET', `/sync/records`, {
        cookie: as(bob),
        headers: { 'x-account-id': alice, 'x-forwarded-user': alice },
      }),
      syncCall(app, 'GET', `/sync/records?account=${alice}`, { cookie: as(bob) }),
    ];
    const [viaHeader, viaQuery] = await Promise.all(tries);
    expect(
      (viaHeader as LightMyRequestResponse).json().records.map((r: { body: string }) => r.body),
    ).toEqual([b64('bob')]);
    expectError(viaQuery as LightMyRequestResponse, 400, 'SYNC_BAD_REQUEST');
    const withField = await syncCall(app, 'PUT', '/sync/records', {
      cookie: as(bob),
      body: { records: [{ id: 'a', epoch: 1, body: b64('x') }], account: alice },
    });
    expectError(withField, 400, 'SYNC_BAD_REQUEST');
    expect(withField.json().message).toContain('"account"');
    // bob deleting everything leaves alice's record
    await syncCall(app, 'DELETE', '/sync', { cookie: as(bob) });
    const left = await syncCall(app, 'GET', '/sync/records', { cookie: as(alice) });
    expect(left.json().records.map((r: { body: string }) => r.body)).toEqual([b64('alice')]);
  });

  it('asks for a connection first: no cookie, a bad one, an old one, one without an account id', async () => {
    const { app, key, as } = await relayApp();
    for (const [method, url] of [
      ['GET', '/sync/records'],
      ['GET', '/sync/status'],
      ['PUT', '/sync/records'],
      ['DELETE', '/sync/records?epochBelow=1'],
      ['DELETE', '/sync'],
    ] as const) {
      expectError(await syncCall(app, method, url), 401, 'NOT_CONNECTED');
    }
    const foreign = cookieFor(randomBytes(32), sessionFor(account()));
    expectError(
      await syncCall(app, 'GET', '/sync/status', { cookie: foreign }),
      401,
      'SESSION_INVALID',
    );
    const old = cookieFor(
      key,
      sessionFor(account(), { consentAt: Date.now() - REFRESH_TOKEN_LIFE_MS - 1 }),
    );
    expectError(await syncCall(app, 'GET', '/sync/status', { cookie: old }), 401, 'AUTH_EXPIRED');
    // /me failed at login: connected, but without an account to sync
    expectError(
      await syncCall(app, 'GET', '/sync/status', { cookie: as(undefined) }),
      401,
      'RECONNECT_FOR_SYNC',
    );
    // a cookie sealed before account ids existed (no "aid" in its sealed value)
    const legacy = createSealer(key, `cookie ${SESSION_COOKIE}`).seal({
      rt: 'rt-legacy-refresh-token',
      at: 'at-legacy',
      exp: Date.now() + 3600_000,
      sc: 'user-top-read',
      cat: Date.now() - 1000,
    });
    const res = await syncCall(app, 'PUT', '/sync/records', {
      cookie: `${SESSION_COOKIE}=${legacy}`,
      body: { records: [{ id: 'a', epoch: 1, body: b64('x') }] },
    });
    expectError(res, 401, 'RECONNECT_FOR_SYNC');
  });

  it('refuses PUT and DELETE from another origin or without one, like every state-changing route', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    const body = { records: [{ id: 'a', epoch: 1, body: b64('x') }] };
    for (const headers of [
      { origin: 'http://127.0.0.1:9999' },
      { origin: 'https://evil.example' },
    ]) {
      const res = await syncCall(app, 'PUT', '/sync/records', { cookie: me, body, headers });
      expectError(res, 403, 'CROSS_ORIGIN');
      expect((await syncCall(app, 'DELETE', '/sync', { cookie: me, headers })).statusCode).toBe(
        403,
      );
    }
    const bare = await app.inject({
      method: 'DELETE',
      url: '/sync',
      headers: { cookie: me },
    });
    expect(bare.statusCode).toBe(403);
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: me })).json().records).toBe(0);
  });

  it('names the field of a malformed request, and stores nothing', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    const ok = { id: 'a', epoch: 1, body: b64('x') };
    const cases: [unknown, RegExp][] = [
      [{}, /records must be an array/],
      [[ok], /JSON object/],
      [{ records: [] }, /1 to 500 records, got 0/],
      [{ records: Array.from({ length: 501 }, (_, i) => ({ ...ok, id: `r${i}` })) }, /got 501/],
      [{ records: [ok, { ...ok, id: 'has space' }] }, /records\[1\]\.id must be 1-64 characters/],
      [{ records: [{ ...ok, id: 'x'.repeat(65) }] }, /records\[0\]\.id/],
      [{ records: [ok, ok] }, /records\[1\]\.id repeats records\[0\]\.id/],
      [{ records: [{ ...ok, epoch: -1 }] }, /records\[0\]\.epoch must be a non-negative integer/],
      [{ records: [{ ...ok, epoch: 1.5 }] }, /records\[0\]\.epoch/],
      [{ records: [{ ...ok, epoch: '1' }] }, /records\[0\]\.epoch/],
      [
        { records: [{ ...ok, body: 'eA==' }] },
        /records\[0\]\.body must be base64url without padding/,
      ],
      [{ records: [{ ...ok, body: 'a+b/' }] }, /records\[0\]\.body must be base64url/],
      // "eB" decodes to the same byte as "eA" (stray bits): only the canonical spelling is taken
      [{ records: [{ ...ok, body: 'eB' }] }, /records\[0\]\.body must be base64url/],
      [{ records: [{ ...ok, body: '' }] }, /records\[0\]\.body is empty/],
      [{ records: [{ ...ok, body: 42 }] }, /records\[0\]\.body must be a base64url string/],
      [{ records: [{ ...ok, seq: 7 }] }, /records\[0\] has an unknown field "seq"/],
    ];
    for (const [body, message] of cases) {
      const r = await syncCall(app, 'PUT', '/sync/records', { cookie: me, body });
      expectError(r, 400, 'SYNC_BAD_REQUEST');
      expect(r.json().message, JSON.stringify(body).slice(0, 80)).toMatch(message);
    }
    expectError(
      await syncCall(app, 'PUT', '/sync/records', {
        cookie: me,
        body: '{"records": [',
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'SYNC_BAD_REQUEST',
    );
    const binary = await syncCall(app, 'PUT', '/sync/records', {
      cookie: me,
      body: 'records',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expectError(binary, 415, 'SYNC_BAD_REQUEST');
    expect(binary.json().message).toMatch(/application\/json/);
    const text = await syncCall(app, 'PUT', '/sync/records', {
      cookie: me,
      body: 'records',
      headers: { 'content-type': 'text/plain' },
    });
    expectError(text, 400, 'SYNC_BAD_REQUEST');
    for (const [url, message] of [
      ['/sync/records?after=-1', /after must be a whole number/],
      ['/sync/records?after=x', /after/],
      ['/sync/records?limit=0', /limit must be a whole number from 1 to 1000/],
      ['/sync/records?limit=1001', /limit/],
      ['/sync/records?cursor=3', /unknown query parameter "cursor"/],
      ['/sync/status?x=1', /unknown query parameter "x"/],
    ] as const) {
      const r = await syncCall(app, 'GET', url, { cookie: me });
      expectError(r, 400, 'SYNC_BAD_REQUEST');
      expect(r.json().message).toMatch(message);
    }
    const noEpoch = await syncCall(app, 'DELETE', '/sync/records', { cookie: me });
    expectError(noEpoch, 400, 'SYNC_BAD_REQUEST');
    expect(noEpoch.json().message).toMatch(/epochBelow is required/);
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: me })).json()).toMatchObject({
      records: 0,
      cursor: 0,
    });
  });

  it('refuses a request over 4 MB and a record over 1 MB with SYNC_BODY_TOO_LARGE', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    const chunk = b64(randomBytes(900_000));
    const five = Array.from({ length: 5 }, (_, i) => ({ id: `r${i}`, epoch: 1, body: chunk }));
    const whole = await put(app, me, five);
    expectError(whole, 413, 'SYNC_BODY_TOO_LARGE');
    expect(whole.json().maxRequestBytes).toBe(LIMITS.requestBytes);
    const one = await put(app, me, [
      { id: 'ok', epoch: 1, body: b64('fine') },
      { id: 'big', epoch: 1, body: b64(randomBytes(MIB + 1)) },
    ]);
    expectError(one, 413, 'SYNC_BODY_TOO_LARGE');
    expect(one.json().message).toContain('records[1].body');
    // two records of exactly 1 MiB (2.7 MB of JSON): stored
    const max = await put(
      app,
      me,
      [0, 1].map((i) => ({ id: `m${i}`, epoch: 1, body: b64(randomBytes(MIB)) })),
    );
    expect(max.statusCode).toBe(200);
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: me })).json().records).toBe(2);
  });

  it('takes a gzip-compressed PUT and answers gzip when asked; a bomb is 413, bad gzip 400', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    const gzipPut = (json: string | Buffer, encoding = 'gzip') =>
      app.inject({
        method: 'PUT',
        url: '/sync/records',
        headers: {
          origin: PUBLIC_URL,
          cookie: me,
          'content-type': 'application/json',
          'content-encoding': encoding,
        },
        payload: typeof json === 'string' ? gzipSync(json) : json,
      });
    // base64 of ciphertext: gzip takes it back to about the size of the bytes
    const bytes = randomBytes(16_000);
    const body = JSON.stringify({ records: [{ id: 'week', epoch: 1, body: b64(bytes) }] });
    const sent = gzipSync(body);
    expect(sent.length).toBeLessThan(bytes.length * 1.05);
    expect(body.length).toBeGreaterThan(bytes.length * 1.3);
    expect((await gzipPut(body)).statusCode).toBe(200);

    const page = await syncCall(app, 'GET', '/sync/records', {
      cookie: me,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(page.rawPayload.length).toBeLessThan(bytes.length * 1.05);
    const listed = JSON.parse(gunzipSync(page.rawPayload).toString('utf8'));
    expect(Buffer.from(listed.records[0].body, 'base64url')).toEqual(bytes);
    // without Accept-Encoding, plain JSON as before
    const plain = await syncCall(app, 'GET', '/sync/records', { cookie: me });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json().records[0].body).toBe(b64(bytes));

    // 40 KB of gzip that inflates past the 4 MiB limit: refused, nothing stored
    const bomb = gzipSync(`{"records":[{"id":"x","epoch":1,"body":"${'A'.repeat(6 * MIB)}"}]}`);
    expect(bomb.length).toBeLessThan(40_000);
    expectError(await gzipPut(bomb), 413, 'SYNC_BODY_TOO_LARGE');
    expectError(await gzipPut(Buffer.from('not gzip at all')), 400, 'SYNC_BAD_REQUEST');
    expectError(await gzipPut(sent, 'br'), 415, 'SYNC_BAD_REQUEST');
    const status = (await syncCall(app, 'GET', '/sync/status', { cookie: me })).json();
    expect(status.records).toBe(1);
    expect(status.bytes).toBe(bytes.length);
  });

  it('stops a GET page at about 4 MB of bodies, with more: true', async () => {
    const { app, as } = await relayApp();
    const me = as(account());
    // two per PUT: three bodies of nearly 1 MiB are more JSON than one request may carry
    for (const batch of [
      [0, 1],
      [2, 3],
      [4, 5],
    ])
      expect(
        (
          await put(
            app,
            me,
            batch.map((i) => ({ id: `m${i}`, epoch: 1, body: b64(randomBytes(MIB - 10)) })),
          )
        ).statusCode,
      ).toBe(200);
    const page = (await syncCall(app, 'GET', '/sync/records', { cookie: me })).json();
    expect(page.records.map((r: { seq: number }) => r.seq)).toEqual([1, 2, 3, 4]);
    expect(page.more).toBe(true);
    const rest = (
      await syncCall(app, 'GET', `/sync/records?after=${page.cursor}`, { cookie: me })
    ).json();
    expect(rest.records.map((r: { seq: number }) => r.seq)).toEqual([5, 6]);
    expect(rest.more).toBe(false);
  });

  it('refuses a PUT beyond the account quota whole: 413 SYNC_QUOTA_FULL with the figures', async () => {
    const { app, as } = await relayApp({ quotaBytes: 1000 });
    const me = as(account());
    expect(
      (await put(app, me, [{ id: 'a', epoch: 1, body: b64(randomBytes(600)) }])).statusCode,
    ).toBe(200);
    const full = await put(app, me, [
      { id: 'b', epoch: 1, body: b64(randomBytes(300)) },
      { id: 'c', epoch: 1, body: b64(randomBytes(300)) },
    ]);
    expectError(full, 413, 'SYNC_QUOTA_FULL');
    expect(full.json()).toMatchObject({ quotaBytes: 1000, usedBytes: 600 });
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: me })).json()).toEqual({
      records: 1,
      bytes: 600,
      quotaBytes: 1000,
      cursor: 1,
      epoch: 1,
    });
    // another account has its own quota
    expect(
      (await put(app, as(account()), [{ id: 'a', epoch: 1, body: b64(randomBytes(900)) }]))
        .statusCode,
    ).toBe(200);
  });

  it('limits requests per account, not per address: 429 SYNC_RATE_LIMITED with Retry-After', async () => {
    const { app, as } = await relayApp({ perMinute: 3 });
    const [me, other] = [as(account()), as(account())];
    const codes = [];
    for (const url of ['/sync/status', '/sync/records', '/sync/status'])
      codes.push((await syncCall(app, 'GET', url, { cookie: me })).statusCode);
    expect(codes).toEqual([200, 200, 200]);
    // the budget is shared by every /sync route
    const limited = await put(app, me, [{ id: 'a', epoch: 1, body: b64('x') }]);
    expectError(limited, 429, 'SYNC_RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().retryAfterMs).toBeGreaterThan(0);
    // same address, another account: its own budget
    expect((await syncCall(app, 'GET', '/sync/status', { cookie: other })).statusCode).toBe(200);
  });

  it('answers a JSON 404 under /sync, never the web app', async () => {
    const { app, as } = await relayApp();
    for (const url of ['/sync/nothing', '/sync/records/1']) {
      expectError(await syncCall(app, 'GET', url, { cookie: as(account()) }), 404, 'NOT_FOUND');
    }
  });

  it('never puts a token, the session key, the cookie or a record body in a log line or an answer', async () => {
    const logs = logCapture();
    const { app, key } = await relayApp({ logs, perMinute: 4 });
    const session = sessionFor(account());
    const cookie = cookieFor(key, session);
    const body = b64(`plain words that must not be logged ${randomBytes(8).toString('hex')}`);
    const answers = [
      await put(app, cookie, [{ id: 'a', epoch: 1, body }]),
      await syncCall(app, 'GET', '/sync/status', { cookie }),
      await put(app, cookie, [{ id: 'a', epoch: -1, body }]),
      await syncCall(app, 'PUT', '/sync/records', {
        cookie,
        body: '{"records":',
        headers: { 'content-type': 'application/json' },
      }),
      await syncCall(app, 'GET', '/sync/status', { cookie }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 400, 400, 429]);
    const secrets = [
      session.refreshToken,
      session.accessToken,
      key.toString('hex'),
      key.toString('base64'),
      cookie.split('=')[1] as string,
      body,
    ];
    const log = logs.lines.join('\n');
    expect(log).toContain('/sync/records');
    for (const s of secrets) {
      expect(log).not.toContain(s);
      for (const a of answers) {
        expect(a.body).not.toContain(s);
        expect(JSON.stringify(a.headers)).not.toContain(s);
      }
    }
  });
});
