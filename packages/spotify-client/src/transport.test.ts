// The rules every operation shares: error codes, Retry-After, 401 refresh,
// backoff, the concurrency cap, abort, redaction and counting.
import { describe, expect, test, vi } from 'vitest';
import { SpotifyError } from './errors.js';
import { apiError, json, networkFailure } from './test-support/fetch-spy.js';
import { userObject } from './test-support/fixtures.js';
import { caught, harness, T0 } from './test-support/harness.js';

const ok = () => json(200, userObject());

describe('classification of final answers', () => {
  test.each([
    [404, 'Non existing id', undefined, 'NOT_FOUND'],
    [400, 'Invalid limit', undefined, 'BAD_REQUEST'],
    [
      403,
      'Check settings on developer.spotify.com/dashboard, the user may not be registered.',
      undefined,
      'NOT_ALLOWLISTED',
    ],
    [403, 'User not registered in the Developer Dashboard', undefined, 'NOT_ALLOWLISTED'],
    [403, 'Insufficient client scope', undefined, 'INSUFFICIENT_SCOPE'],
    [403, "You cannot add tracks to a playlist you don't own.", undefined, 'BAD_REQUEST'],
    [429, 'Too many requests', 'QUOTA_EXCEEDED', 'QUOTA_EXCEEDED'],
    [500, 'Server error', undefined, 'UPSTREAM'],
    [502, 'Bad gateway', undefined, 'UPSTREAM'],
    [503, 'Service unavailable', undefined, 'UPSTREAM'],
  ] as const)('%i %s -> %s', async (status, message, reason, code) => {
    const h = harness(() => apiError(status, message, reason ? { reason } : {}), { maxRetries: 0 });
    const e = await caught(h.client.me());
    expect(e).toBeInstanceOf(SpotifyError);
    expect((e as SpotifyError).code).toBe(code);
    expect((e as SpotifyError).status).toBe(status);
  });

  test('a dropped connection is NETWORK with the fetch error as cause', async () => {
    const h = harness(() => networkFailure(), { maxRetries: 0 });
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('NETWORK');
    expect(e.status).toBeNull();
    expect(e.cause).toBeInstanceOf(TypeError);
  });

  test('QUOTA_EXCEEDED is not waited out, even with a short Retry-After', async () => {
    const h = harness(() =>
      apiError(429, 'Too many requests', {
        reason: 'QUOTA_EXCEEDED',
        headers: { 'retry-after': '2' },
      }),
    );
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('QUOTA_EXCEEDED');
    expect(e.retryAfterMs).toBe(2000);
    expect(e.retryAt).toBe(T0 + 2000);
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });
});

describe('429 Retry-After', () => {
  test('seconds: waits that long, then repeats and succeeds', async () => {
    const h = harness((_c, i) =>
      i === 0 ? apiError(429, 'Too many requests', { headers: { 'retry-after': '3' } }) : ok(),
    );
    await h.client.me();
    expect(h.sleeps).toEqual([3000]);
    expect(h.calls).toHaveLength(2);
    expect(h.client.stats.retries).toBe(1);
  });

  test('HTTP date: waits until that moment of the injected clock', async () => {
    const h = harness((_c, i) =>
      i === 0
        ? apiError(429, 'Too many requests', {
            headers: { 'retry-after': new Date(T0 + 7000).toUTCString() },
          })
        : ok(),
    );
    await h.client.me();
    expect(h.sleeps).toEqual([7000]);
  });

  test('longer than the cap: fails fast with RATE_LIMITED and the time it may retry', async () => {
    const h = harness(
      () => apiError(429, 'Too many requests', { headers: { 'retry-after': String(20 * 3600) } }),
      { maxRetryAfterMs: 30_000 },
    );
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('RATE_LIMITED');
    expect(e.retryAfterMs).toBe(20 * 3600 * 1000);
    expect(e.retryAt).toBe(T0 + 20 * 3600 * 1000);
    expect(h.calls).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  test('a 429 POST is repeated (a refusal was not applied)', async () => {
    const h = harness((c, i) =>
      i === 0
        ? apiError(429, 'Too many requests', { headers: { 'retry-after': '1' } })
        : json(201, { snapshot_id: 's1' }),
    );
    await expect(h.client.addItems('p1', ['spotify:track:a'])).resolves.toEqual({
      snapshotId: 's1',
    });
    expect(h.calls.map((c) => c.method)).toEqual(['POST', 'POST']);
  });

  test('waits are bounded: after maxRateLimitWaits the client gives up with RATE_LIMITED', async () => {
    const h = harness(
      () => apiError(429, 'Too many requests', { headers: { 'retry-after': '1' } }),
      { maxRateLimitWaits: 2 },
    );
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('RATE_LIMITED');
    expect(h.sleeps).toEqual([1000, 1000]);
    expect(h.calls).toHaveLength(3);
  });
});

describe('401', () => {
  test('asks the provider for a fresh token once and repeats with it', async () => {
    const h = harness((c, i) => (i === 0 ? apiError(401, 'The access token expired') : ok()));
    await h.client.me();
    expect(h.tokens.forced).toBe(1);
    expect(h.calls.map((c) => c.headers['authorization'])).toEqual([
      'Bearer secret-token-1-abcdef',
      'Bearer secret-token-2-abcdef',
    ]);
  });

  test('a second 401 is AUTH_EXPIRED, without a third request', async () => {
    const h = harness(() => apiError(401, 'Invalid access token'));
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(h.tokens.forced).toBe(1);
    expect(h.calls).toHaveLength(2);
  });

  test('a provider that returns the rejected token again is AUTH_EXPIRED', async () => {
    const h = harness(() => apiError(401, 'The access token expired'), {
      tokenProvider: { getAccessToken: async () => 'same-token-xyz' },
    });
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(h.calls).toHaveLength(1);
  });

  test("the provider's own SpotifyError (refresh token expired) surfaces unchanged", async () => {
    let n = 0;
    const h = harness(() => apiError(401, 'The access token expired'), {
      tokenProvider: {
        getAccessToken: async (o) => {
          if (o.forceRefresh)
            throw new SpotifyError('AUTH_EXPIRED', 'refresh token revoked', { status: 400 });
          return `t${++n}-token`;
        },
      },
    });
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(e.message).toBe('refresh token revoked');
  });
});

describe('5xx and network: bounded backoff with full jitter, only when safe to repeat', () => {
  test('a GET is retried maxRetries times with delays random * min(cap, base * 2^n)', async () => {
    const randoms = [0.5, 0.25, 1 - 1e-9];
    let r = 0;
    const h = harness(() => apiError(503, 'Service unavailable'), {
      maxRetries: 3,
      backoffBaseMs: 1000,
      backoffCapMs: 3000,
      random: () => randoms[r++ % randoms.length]!,
    });
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('UPSTREAM');
    expect(h.calls).toHaveLength(4);
    // ceilings 1000, 2000, min(3000, 4000)
    expect(h.sleeps).toEqual([500, 500, 2999]);
  });

  test('a GET recovers after a dropped connection', async () => {
    const h = harness((_c, i) => (i < 2 ? networkFailure() : ok()));
    await expect(h.client.me()).resolves.toMatchObject({ id: 'listener' });
    expect(h.calls).toHaveLength(3);
    expect(h.client.stats.retries).toBe(2);
  });

  test('a 503 with a short Retry-After waits that long instead of the backoff', async () => {
    const h = harness((_c, i) =>
      i === 0 ? apiError(503, 'down', { headers: { 'retry-after': '4' } }) : ok(),
    );
    await h.client.me();
    expect(h.sleeps).toEqual([4000]);
  });

  test('POST /me/playlists is never repeated after a 500', async () => {
    const h = harness(() => apiError(500, 'Server error'));
    const e = (await caught(
      h.client.createPlaylist({ name: 'x', description: 'y' }),
    )) as SpotifyError;
    expect(e.code).toBe('UPSTREAM');
    expect(h.calls).toHaveLength(1);
  });

  test('POST /playlists/{id}/items is never repeated after a dropped connection', async () => {
    const h = harness(() => networkFailure());
    const e = (await caught(h.client.addItems('p', ['spotify:track:a']))) as SpotifyError;
    expect(e.code).toBe('NETWORK');
    expect(h.calls).toHaveLength(1);
  });

  test('a request without an answer in requestTimeoutMs is a NETWORK failure', async () => {
    vi.useFakeTimers();
    try {
      const h = harness(
        (call) =>
          new Promise<Response>((_res, rej) => {
            call.signal?.addEventListener('abort', () =>
              rej(new DOMException('aborted', 'AbortError')),
            );
          }),
        { requestTimeoutMs: 10_000, maxRetries: 0 },
      );
      const p = caught(h.client.me());
      await vi.advanceTimersByTimeAsync(10_000);
      const e = (await p) as SpotifyError;
      expect(e.code).toBe('NETWORK');
      expect(e.message).toContain('no answer in time');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('tokens never leak', () => {
  test('an error for a request made with a token holds no token in message, stack or JSON', async () => {
    const h = harness(
      (c) => apiError(400, `Invalid request: ${c.headers['authorization'] ?? ''}`),
      { maxRetries: 0 },
    );
    const e = (await caught(h.client.me())) as SpotifyError;
    expect(e.code).toBe('BAD_REQUEST');
    const text = `${e.message}\n${e.stack ?? ''}\n${JSON.stringify(e)}\n${String(e)}`;
    expect(text).not.toContain('secret-token-1-abcdef');
    expect(text).toContain('[redacted]');
  });

  test('the ReccoBeats source never receives the Spotify token', async () => {
    const h = harness((c) =>
      c.url.pathname.endsWith('/v1/audio-features') && c.url.host.startsWith('api.spotify')
        ? apiError(403, 'Forbidden')
        : json(200, { content: [] }),
    );
    await h.client.audioFeatures(['a']);
    const recco = h.calls.filter((c) => c.url.host.startsWith('api.reccobeats'));
    expect(recco).toHaveLength(1);
    expect(recco[0]!.headers['authorization']).toBeUndefined();
    expect(recco[0]!.url.href).not.toContain('secret-token');
  });
});

describe('abort', () => {
  test('an already aborted signal sends nothing and throws ABORTED', async () => {
    const h = harness(ok);
    const ctl = new AbortController();
    ctl.abort();
    const e = (await caught(h.client.me({ signal: ctl.signal }))) as SpotifyError;
    expect(e.code).toBe('ABORTED');
    expect(h.calls).toHaveLength(0);
  });

  test('aborting during a Retry-After wait throws ABORTED and sends nothing more', async () => {
    const ctl = new AbortController();
    const h = harness(() => apiError(429, 'slow down', { headers: { 'retry-after': '5' } }), {
      sleep: async () => {
        ctl.abort();
        throw new DOMException('aborted', 'AbortError');
      },
    });
    const e = (await caught(h.client.me({ signal: ctl.signal }))) as SpotifyError;
    expect(e.code).toBe('ABORTED');
    expect(h.calls).toHaveLength(1);
  });

  test('aborting an in-flight fetch throws ABORTED, not NETWORK, and is not retried', async () => {
    const ctl = new AbortController();
    const h = harness(() => {
      ctl.abort();
      throw new DOMException('aborted', 'AbortError');
    });
    const e = (await caught(h.client.me({ signal: ctl.signal }))) as SpotifyError;
    expect(e.code).toBe('ABORTED');
    expect(h.calls).toHaveLength(1);
  });
});

describe('concurrency cap and counting', () => {
  test('never more than maxConcurrent requests in flight; the rest queue', async () => {
    let inFlight = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const h = harness(
      () =>
        new Promise<Response>((resolve) => {
          inFlight++;
          peak = Math.max(peak, inFlight);
          gates.push(() => {
            inFlight--;
            resolve(ok());
          });
        }),
      { maxConcurrent: 2 },
    );
    const all = Promise.all(Array.from({ length: 7 }, () => h.client.me()));
    // release answers one at a time as they arrive, until all 7 were answered
    let answered = 0;
    while (answered < 7) {
      await new Promise((r) => setImmediate(r));
      const g = gates.shift();
      if (g) {
        g();
        answered++;
      }
    }
    await all;
    expect(peak).toBe(2);
    expect(h.client.stats.peakInFlight).toBe(2);
    expect(h.calls).toHaveLength(7);
  });

  test('a request aborted while it waits for a free slot is never sent', async () => {
    const gates: (() => void)[] = [];
    const h = harness(() => new Promise<Response>((resolve) => gates.push(() => resolve(ok()))), {
      maxConcurrent: 1,
    });
    const first = h.client.me();
    const ctl = new AbortController();
    const queued = caught(h.client.me({ signal: ctl.signal }));
    await new Promise((r) => setImmediate(r));
    expect(h.calls).toHaveLength(1);
    ctl.abort();
    expect(((await queued) as SpotifyError).code).toBe('ABORTED');
    gates.shift()!();
    await first;
    // the slot was not lost: a third request still goes out
    const third = h.client.me();
    await new Promise((r) => setImmediate(r));
    gates.shift()!();
    await third;
    expect(h.calls).toHaveLength(2);
  });

  test('stats count every request per operation, retries included', async () => {
    const h = harness((c, i) => {
      if (c.url.pathname.endsWith('/me')) return i === 0 ? apiError(500, 'x') : ok();
      return json(200, {
        items: [],
        total: 0,
        limit: 50,
        offset: 0,
        href: '',
        next: null,
        previous: null,
      });
    });
    await h.client.me();
    await h.client.topTracks('short_term');
    await h.client.topTracks('long_term');
    expect(h.client.stats.requests).toBe(4);
    expect(h.client.stats.byOperation).toEqual({
      'get-current-users-profile': 2,
      'get-users-top-tracks': 2,
    });
  });
});
