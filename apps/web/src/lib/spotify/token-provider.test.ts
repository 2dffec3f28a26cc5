import { describe, expect, it, vi } from 'vitest';
import { SpotifyError } from '@mtm/spotify-client';
import { createServerTokenProvider } from './token-provider';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('server token provider', () => {
  it('asks the server once and reuses the token until shortly before it expires', async () => {
    let now = 1_000_000;
    const fetch = vi.fn(async () =>
      json(200, {
        accessToken: `tok-${fetch.mock.calls.length}`,
        expiresAt: now + 3_600_000,
        scope: 's',
      }),
    );
    const p = createServerTokenProvider({ fetch, now: () => now });
    expect(await p.getAccessToken({})).toBe('tok-1');
    expect(await p.getAccessToken({})).toBe('tok-1');
    now += 3_600_000 - 30_000; // inside the last minute
    expect(await p.getAccessToken({})).toBe('tok-2');
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('shares one request between concurrent callers and sends forceRefresh after a 401', async () => {
    const bodies: unknown[] = [];
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)));
      return json(200, { accessToken: `tok-${bodies.length}`, expiresAt: Date.now() + 3_600_000 });
    });
    const p = createServerTokenProvider({ fetch });
    const [a, b] = await Promise.all([p.getAccessToken({}), p.getAccessToken({})]);
    expect(a).toBe(b);
    expect(await p.getAccessToken({ forceRefresh: true })).toBe('tok-2');
    expect(bodies).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ method: 'POST', credentials: 'same-origin' });
  });

  it('reads the 200 "not connected" answer (issue 12): AUTH_EXPIRED errors, reporting which problem', async () => {
    const problems: string[] = [];
    for (const code of ['NOT_CONNECTED', 'AUTH_EXPIRED']) {
      const p = createServerTokenProvider({
        fetch: async () => json(200, { connected: false, code }),
        onProblem: (x) => problems.push(x),
      });
      await expect(p.getAccessToken({})).rejects.toMatchObject({
        code: 'AUTH_EXPIRED',
        status: null,
      });
    }
    expect(problems).toEqual(['NOT_CONNECTED', 'AUTH_EXPIRED']);
  });

  it('forgets a cached token once the server says it is not connected', async () => {
    let answer: unknown = { connected: true, accessToken: 'tok', expiresAt: 10_000_000 };
    const p = createServerTokenProvider({ fetch: async () => json(200, answer), now: () => 0 });
    expect(await p.getAccessToken({})).toBe('tok');
    answer = { connected: false, code: 'AUTH_EXPIRED' };
    await expect(p.getAccessToken({ forceRefresh: true })).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
    });
    answer = { connected: false, code: 'NOT_CONNECTED' };
    await expect(p.getAccessToken({})).rejects.toMatchObject({ code: 'AUTH_EXPIRED' });
  });

  it('still reads a 401 as not connected: an unreadable session cookie, or an older server', async () => {
    const problems: string[] = [];
    for (const code of ['SESSION_INVALID', 'NOT_CONNECTED', 'AUTH_EXPIRED']) {
      const p = createServerTokenProvider({
        fetch: async () => json(401, { code }),
        onProblem: (x) => problems.push(x),
      });
      await expect(p.getAccessToken({})).rejects.toMatchObject({
        code: 'AUTH_EXPIRED',
        status: 401,
      });
    }
    expect(problems).toEqual(['NOT_CONNECTED', 'NOT_CONNECTED', 'AUTH_EXPIRED']);
  });

  it('maps an unreachable server to NETWORK and a 502 to UPSTREAM, without the token in any message', async () => {
    const down = createServerTokenProvider({
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(down.getAccessToken({})).rejects.toMatchObject({ code: 'NETWORK' });
    const bad = createServerTokenProvider({ fetch: async () => json(502, { code: 'UPSTREAM' }) });
    const err = await bad.getAccessToken({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SpotifyError);
    expect(err).toMatchObject({ code: 'UPSTREAM', status: 502 });
  });

  it('never puts a token in an error message after a bad answer', async () => {
    const p = createServerTokenProvider({
      fetch: async () => json(500, { accessToken: 'secret-token-value' }),
    });
    const err = (await p.getAccessToken({}).catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain('secret-token-value');
    expect(JSON.stringify(err)).not.toContain('secret-token-value');
  });
});
