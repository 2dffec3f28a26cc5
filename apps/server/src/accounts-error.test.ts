import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAccountsError } from './accounts-error.js';
import { buildApp } from './app.js';
import { type Session, SESSION_COOKIE, sealSession } from './session.js';
import { logCapture, PUBLIC_URL, testConfig } from './test-support/config.js';

const session: Session = {
  refreshToken: 'rt-kept',
  accessToken: 'at',
  expiresAt: 0,
  scope: 's',
  // a day ago: older than a refresh token lives, the server would refuse it before asking Spotify
  consentAt: Date.now() - 86_400_000,
};

/** A token endpoint that answers whatever the test asks for, to see how each failure is classified. */
describe('token endpoint failures', () => {
  let stub: FastifyInstance;
  let base: string;
  let answer: { status: number; body: string; type: string } = {
    status: 200,
    body: '{}',
    type: 'application/json',
  };
  const hanging: (() => void)[] = [];
  beforeAll(async () => {
    stub = Fastify({ logger: false });
    stub.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_r, b, done) => done(null, b),
    );
    stub.post('/accounts/api/token', async (_req, reply) => {
      if (answer.status === 0) {
        await new Promise<void>((resolve) => hanging.push(resolve));
        return reply.code(200).send({});
      }
      return reply.code(answer.status).type(answer.type).send(answer.body);
    });
    base = await stub.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    for (const r of hanging) r();
    await stub.close();
  });

  async function refreshWith(a: typeof answer) {
    answer = a;
    const key = randomBytes(32);
    const logs = logCapture();
    const app = await buildApp(
      testConfig({ sessionKeys: [key], accountsUrl: `${base}/accounts` }),
      {
        logger: { level: 'warn', stream: logs.stream },
        accountsTimeoutMs: 300,
      },
    );
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/auth/token',
        headers: { origin: PUBLIC_URL, cookie: `${SESSION_COOKIE}=${sealSession(key, session)}` },
      });
      return { res, log: logs.lines.join('\n') };
    } finally {
      await app.close();
    }
  }

  it('treats 5xx, 429, a non-JSON answer and a timeout as UPSTREAM: 502, cookie kept', async () => {
    const cases = [
      { status: 503, body: '{"error":"server_error"}', type: 'application/json' },
      { status: 429, body: '{"error":"too_many"}', type: 'application/json' },
      { status: 200, body: '<html>maintenance</html>', type: 'text/html' },
      { status: 200, body: '{"token_type":"Bearer"}', type: 'application/json' },
      { status: 0, body: '', type: '' },
    ];
    for (const c of cases) {
      const { res, log } = await refreshWith(c);
      expect(res.statusCode, JSON.stringify(c)).toBe(502);
      expect(res.json()).toEqual({ code: 'UPSTREAM' });
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(log).toContain('refresh_failed');
      expect(log).not.toContain('rt-kept');
    }
  });

  it('does not end the connection over a client problem (invalid_client): 502, cookie kept', async () => {
    const { res, log } = await refreshWith({
      status: 400,
      body: '{"error":"invalid_client"}',
      type: 'application/json',
    });
    expect(res.statusCode).toBe(502);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(log).toContain('"reason":"REJECTED"');
    expect(log).toContain('invalid_client');
  });

  it('ends it on invalid_grant only: not connected, AUTH_EXPIRED, cookie cleared', async () => {
    const { res } = await refreshWith({
      status: 400,
      body: '{"error":"invalid_grant","error_description":"Refresh token revoked"}',
      type: 'application/json',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ connected: false, code: 'AUTH_EXPIRED' });
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
  });
});

describe('toAccountsError', () => {
  it('keeps only safe facts: no request, response or cause', () => {
    const raw = Object.assign(new Error('Response Error: 400 Bad Request'), {
      isBoom: true,
      output: { statusCode: 400 },
      data: {
        isResponseError: true,
        payload: Buffer.from('{"error":"invalid_grant"}'),
        res: { req: { _header: 'Authorization: Basic c2VjcmV0' } },
      },
    });
    const e = toAccountsError(raw);
    expect([e.code, e.status, e.oauthError]).toEqual(['INVALID_GRANT', 400, 'invalid_grant']);
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain('c2VjcmV0');
    expect(e.cause).toBeUndefined();
    expect(toAccountsError(new Error('connect ECONNREFUSED')).code).toBe('UPSTREAM');
    expect(
      toAccountsError({
        data: { isResponseError: true, payload: '{"error":"<script>"}' },
        output: { statusCode: 400 },
      }).oauthError,
    ).toBeNull();
  });
});
