import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { testConfig } from './test-support/config.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The app with one extra route that says which client IP the server believes. */
async function appTrusting(
  trustProxy: number,
  rateLimit = { authPerMinute: 30, tokenPerMinute: 120 },
) {
  app = await buildApp(testConfig({ trustProxy, rateLimit }), { logger: false });
  app.get('/test/ip', async (req) => ({ ip: req.ip }));
  return app;
}

const PROXY = '10.0.0.2';
// the client wrote the first entry itself; the proxy appended the address it saw
const SPOOFED_CHAIN = '203.0.113.66, 198.51.100.7';

function ipSeen(a: FastifyInstance, xff?: string) {
  return a
    .inject({
      url: '/test/ip',
      remoteAddress: PROXY,
      ...(xff !== undefined ? { headers: { 'x-forwarded-for': xff } } : {}),
    })
    .then((res) => (res.json() as { ip: string }).ip);
}

describe('TRUST_PROXY (issue 12)', () => {
  it('unset (0): X-Forwarded-For is ignored and the socket address counts', async () => {
    const a = await appTrusting(0);
    expect(await ipSeen(a, SPOOFED_CHAIN)).toBe(PROXY);
    expect(await ipSeen(a)).toBe(PROXY);
  });

  it('1: only the last hop, the one the proxy appended, is believed', async () => {
    const a = await appTrusting(1);
    expect(await ipSeen(a, SPOOFED_CHAIN)).toBe('198.51.100.7');
    expect(await ipSeen(a, '198.51.100.7')).toBe('198.51.100.7');
  });

  it('2: two proxies in front, the entry before the last is the client', async () => {
    const a = await appTrusting(2);
    expect(await ipSeen(a, '203.0.113.66, 198.51.100.7, 10.0.0.9')).toBe('198.51.100.7');
  });

  it('1: a client cannot escape the login rate limit by writing its own X-Forwarded-For', async () => {
    const a = await appTrusting(1, { authPerMinute: 2, tokenPerMinute: 120 });
    const login = (xff: string) =>
      a
        .inject({ url: '/auth/login', remoteAddress: PROXY, headers: { 'x-forwarded-for': xff } })
        .then((r) => r.statusCode);
    const codes = [];
    for (const forged of ['1.1.1.1', '2.2.2.2', '3.3.3.3'])
      codes.push(await login(`${forged}, 198.51.100.7`));
    expect(codes).toEqual([302, 302, 429]);
    // another real client behind the same proxy has its own budget
    expect(await login('198.51.100.8')).toBe(302);
  });

  it('buildApp refuses a trustProxy that is not a hop count', async () => {
    for (const bad of [-1, 1.5, true]) {
      await expect(
        buildApp(testConfig({ trustProxy: bad as number }), { logger: false }),
      ).rejects.toThrow(/trustProxy: must be a hop count/);
    }
  });
});
