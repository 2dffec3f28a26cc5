import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEmulator } from './index.js';
import { CLIENT, type Connected, connected } from './test-support/setup.js';

let ctx: Connected;
afterEach(async () => {
  vi.useRealTimers();
  await ctx?.emulator.close();
});

const faults = (payload: unknown) =>
  ctx.emulator.app.inject({ method: 'POST', url: '/_emulator/faults', payload: payload as object });
const top = () =>
  ctx.emulator.app.inject({ url: '/v1/me/top/tracks?limit=1', headers: ctx.headers });

describe('injected faults', () => {
  it("429 carries Retry-After and Spotify's error body; quota adds reason QUOTA_EXCEEDED", async () => {
    ctx = await connected();
    expect((await faults({ rate: 1, kinds: ['429'], retryAfterS: 7 })).statusCode).toBe(200);
    const limited = await top();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    await faults({ rate: 1, kinds: ['quota'], retryAfterS: 72_000 });
    const quota = await top();
    expect(quota.json()).toEqual({
      error: { status: 429, message: 'Too many requests', reason: 'QUOTA_EXCEEDED' },
    });
    expect(quota.headers['retry-after']).toBe('72000');
  });

  it('5xx kinds answer those statuses; faults never touch /accounts or /_emulator', async () => {
    ctx = await connected();
    await faults({ rate: 1, kinds: ['500', '502', '503'], seed: 1 });
    const statuses = new Set<number>();
    for (let i = 0; i < 30; i++) statuses.add((await top()).statusCode);
    expect([...statuses].sort()).toEqual([500, 502, 503]);
    const refreshed = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/accounts/api/token',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64')}`,
      },
      payload: `grant_type=refresh_token&refresh_token=${ctx.tokens.refresh_token}`,
    });
    expect(refreshed.statusCode).toBe(200);
    expect((await ctx.emulator.app.inject({ url: '/_emulator/clock' })).statusCode).toBe(200);
    await ctx.emulator.app.inject({ method: 'DELETE', url: '/_emulator/faults' });
    expect((await top()).statusCode).toBe(200);
  });

  it('hits about the requested share of requests, the same ones for the same fault seed', async () => {
    ctx = await connected();
    const run = async () => {
      await faults({ rate: 0.2, kinds: ['503'], seed: 99 });
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push((await top()).statusCode);
      return out;
    };
    const first = await run();
    const share = first.filter((s) => s === 503).length / first.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.3);
    expect(await run()).toEqual(first);
  });

  it('a slow answer is held back for slowMs', async () => {
    ctx = await connected();
    await faults({ rate: 1, kinds: ['slow'], slowMs: 5_000 });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    let done = false;
    const pending = top().then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(4_900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect((await pending).statusCode).toBe(200);
  });

  it('rejects an invalid fault plan', async () => {
    ctx = await connected();
    expect((await faults({ rate: 2, kinds: ['429'] })).statusCode).toBe(400);
    expect((await faults({ rate: 0.5, kinds: ['teapot'] })).statusCode).toBe(400);
  });
});

describe('dropped connections', () => {
  it('under app.inject() a dropped connection makes the injection reject', async () => {
    ctx = await connected();
    await faults({ rate: 1, kinds: ['drop'], seed: 1 });
    for (let i = 0; i < 6; i++) await expect(top()).rejects.toThrow();
  });

  it('over a real loopback socket, drop destroys the socket; some drops happen after the write was applied, as on a real network', async () => {
    ctx = await connected();
    const base = await ctx.emulator.listen({ host: '127.0.0.1', port: 0 });
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { ...ctx.headers, 'content-type': 'application/json', ...(init.headers ?? {}) },
      });
    const created = (await (
      await call('/v1/me/playlists', { method: 'POST', body: JSON.stringify({ name: 'Drops' }) })
    ).json()) as { id: string };
    const tracks = (
      (await (await call('/v1/me/top/tracks?limit=10')).json()) as { items: { uri: string }[] }
    ).items;
    await call('/_emulator/faults', {
      method: 'POST',
      body: JSON.stringify({ rate: 1, kinds: ['drop'], seed: 3 }),
    });
    let networkErrors = 0;
    for (const t of tracks) {
      await call(`/v1/playlists/${created.id}/items`, {
        method: 'POST',
        body: JSON.stringify({ uris: [t.uri] }),
      }).catch(() => networkErrors++);
    }
    expect(networkErrors).toBe(tracks.length);
    await call('/_emulator/faults', { method: 'DELETE' });
    const held = (
      (await (await call('/_emulator/playlists')).json()) as { playlists: { uris: string[] }[] }
    ).playlists[0]!.uris;
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(tracks.length);
  });
});

describe('control endpoints', () => {
  it('answer 404 unless the emulator was created with controls: true', async () => {
    const emulator = await createEmulator({ clients: [CLIENT] });
    try {
      for (const url of ['/_emulator/clock', '/_emulator/playlists', '/_emulator/requests'])
        expect((await emulator.app.inject({ url })).statusCode).toBe(404);
      expect(
        (
          await emulator.app.inject({
            method: 'POST',
            url: '/_emulator/faults',
            payload: { rate: 1, kinds: ['500'] },
          })
        ).statusCode,
      ).toBe(404);
    } finally {
      await emulator.close();
    }
  });

  it('set and advance the clock', async () => {
    ctx = await connected();
    const set = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      payload: { now: Date.UTC(2030, 0, 1) },
    });
    expect(set.json().now).toBeGreaterThanOrEqual(Date.UTC(2030, 0, 1));
    const advanced = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/clock',
      payload: { advanceMs: 86_400_000 },
    });
    expect(advanced.json().now - set.json().now).toBeGreaterThanOrEqual(86_400_000);
    expect(advanced.json().now - set.json().now).toBeLessThan(86_400_000 + 60_000);
    expect(Math.abs(ctx.emulator.clock.now() - advanced.json().now)).toBeLessThan(60_000);
    expect(
      (await ctx.emulator.app.inject({ method: 'POST', url: '/_emulator/clock', payload: {} }))
        .statusCode,
    ).toBe(400);
  });

  it('count requests per operation id (faulted ones included) and reset the counts', async () => {
    ctx = await connected();
    await ctx.emulator.app.inject({ method: 'POST', url: '/_emulator/requests/reset' });
    await top();
    await top();
    await ctx.emulator.app.inject({ url: '/v1/me', headers: ctx.headers });
    await faults({ rate: 1, kinds: ['500'] });
    await top();
    const counts = (await ctx.emulator.app.inject({ url: '/_emulator/requests' })).json();
    expect(counts).toEqual({
      total: 4,
      byOperation: { 'get-current-users-profile': 1, 'get-users-top-tracks': 3 },
    });
    await ctx.emulator.app.inject({ method: 'POST', url: '/_emulator/requests/reset' });
    expect((await ctx.emulator.app.inject({ url: '/_emulator/requests' })).json()).toEqual({
      total: 0,
      byOperation: {},
    });
  });

  it('switch the features mode', async () => {
    ctx = await connected();
    const id = (await top()).json().items[0].id;
    const features = () =>
      ctx.emulator.app.inject({ url: `/v1/audio-features?ids=${id}`, headers: ctx.headers });
    expect((await features()).statusCode).toBe(403);
    await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/features-mode',
      payload: { mode: 'extended' },
    });
    expect((await features()).statusCode).toBe(200);
    expect(
      (
        await ctx.emulator.app.inject({
          method: 'POST',
          url: '/_emulator/features-mode',
          payload: { mode: 'maybe' },
        })
      ).statusCode,
    ).toBe(400);
  });

  it('register a client, refusing a localhost redirect URI', async () => {
    ctx = await connected();
    const ok = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/clients',
      payload: {
        clientId: 'e2e',
        clientSecret: 's',
        redirectUris: ['http://127.0.0.1:9000/auth/callback'],
      },
    });
    expect(ok.statusCode).toBe(201);
    const page = await ctx.emulator.app.inject({
      url: '/accounts/authorize?client_id=e2e&response_type=code&redirect_uri=http%3A%2F%2F127.0.0.1%3A9000%2Fauth%2Fcallback',
    });
    expect(page.statusCode).toBe(200);
    const bad = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/clients',
      payload: { clientId: 'x', clientSecret: 's', redirectUris: ['http://localhost:9000/cb'] },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('rolling-window rate limit', () => {
  it('allows `limit` calls per window per client, then 429 with the exact Retry-After; honouring it succeeds', async () => {
    ctx = await connected({ rateLimit: { limit: 3, windowMs: 30_000 } });
    expect((await top()).statusCode).toBe(200);
    ctx.emulator.clock.advance(10_000);
    expect((await top()).statusCode).toBe(200);
    expect((await top()).statusCode).toBe(200);
    const limited = await top();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { status: 429, message: 'API rate limit exceeded' } });
    // The first call leaves the window 20 s from now (less the wall time the test took).
    const wait = Number(limited.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(18);
    expect(wait).toBeLessThanOrEqual(21);
    ctx.emulator.clock.advance(wait * 1000);
    expect((await top()).statusCode).toBe(200);
  });

  it('can be switched on and off through the control endpoint', async () => {
    ctx = await connected();
    const on = await ctx.emulator.app.inject({
      method: 'POST',
      url: '/_emulator/rate-limit',
      payload: { limit: 1 },
    });
    expect(on.json()).toEqual({ limit: 1, windowMs: 30_000 });
    expect((await top()).statusCode).toBe(200);
    expect((await top()).statusCode).toBe(429);
    await ctx.emulator.app.inject({ method: 'DELETE', url: '/_emulator/rate-limit' });
    expect((await top()).statusCode).toBe(200);
    expect(
      (
        await ctx.emulator.app.inject({
          method: 'POST',
          url: '/_emulator/rate-limit',
          payload: { limit: 0 },
        })
      ).statusCode,
    ).toBe(400);
  });
});
