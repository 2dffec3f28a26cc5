// The client against the real emulator over loopback HTTP: faults injected by
// the emulator, tokens from its accounts service. Sleeps are injected and
// recorded (Retry-After is asserted from them), so no test waits for real.
import { TIME_RANGES } from '@mtm/core';
import { afterEach, describe, expect, test } from 'vitest';
import { createSpotifyClient, type SpotifyClient, type SpotifyClientOptions } from './client.js';
import { SpotifyError } from './errors.js';
import {
  catalogueUris,
  control,
  startEmulator,
  type Running,
} from './test-support/emulator-setup.js';
import { rng } from '@mtm/spotify-emulator';
import { contractChecker } from './test-support/contract.js';
import { createOnce, pushResuming } from './test-support/push-once.js';

const DAY = 86_400_000;
let running: Running | null = null;
afterEach(async () => {
  await running?.emulator.close();
  running = null;
});

interface Recorded {
  client: SpotifyClient;
  statuses: number[];
  sleeps: number[];
}

function clientFor(r: Running, opts: Partial<SpotifyClientOptions> = {}): Recorded {
  const statuses: number[] = [];
  const sleeps: number[] = [];
  const recording: typeof fetch = async (input, init) => {
    try {
      const res = await fetch(input, init);
      statuses.push(res.status);
      return res;
    } catch (e) {
      statuses.push(0);
      throw e;
    }
  };
  const client = createSpotifyClient({
    apiBaseUrl: `${r.base}/v1`,
    featuresBaseUrl: `${r.base}/reccobeats/v1`,
    tokenProvider: r.tokens,
    fetch: recording,
    now: () => r.emulator.clock.now(),
    random: rng(7),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    requestTimeoutMs: 10_000,
    ...opts,
  });
  return { client, statuses, sleeps };
}

/** What the app's outbox does: never two playlists, even when a create's answer is lost. */
describe('against the emulator', { timeout: 60_000 }, () => {
  test('with 20% injected faults a 250-track push ends with exactly those tracks, in order, no duplicates', async () => {
    const r = (running = await startEmulator());
    const { client, statuses, sleeps } = clientFor(r);
    const uris = await catalogueUris(r, client, 250);
    statuses.length = 0;
    const before = { requests: client.stats.requests, retries: client.stats.retries };

    // One push meets only a handful of requests; four fault seeds give the mix of
    // lost answers, lost requests and waits a single run may not.
    for (const seed of [1, 2, 3, 4]) {
      const marker = `#push-250-${seed}`;
      await control(r.base, 'POST', '/faults', {
        rate: 0.2,
        kinds: ['429', '500', '502', '503', 'drop'],
        retryAfterS: 1,
        seed,
      });
      const id = await createOnce(client, marker);
      await pushResuming(client, id, uris, 3);
      await control(r.base, 'DELETE', '/faults');

      const { playlists } = (await control(r.base, 'GET', '/playlists')) as {
        playlists: { id: string; uris: string[]; description: string }[];
      };
      const mine = playlists.filter((p) => p.description.includes(marker));
      expect(mine).toHaveLength(1);
      expect(mine[0]!.id).toBe(id);
      expect(mine[0]!.uris).toEqual(uris);
      expect(new Set(mine[0]!.uris).size).toBe(250);
    }

    // faults did happen, and every 429 was answered by a wait of exactly its Retry-After (1 s)
    const tooMany = statuses.filter((s) => s === 429).length;
    const failures = statuses.filter((s) => s === 0 || s >= 500).length;
    expect(tooMany).toBeGreaterThan(0);
    expect(failures).toBeGreaterThan(0);
    expect(sleeps.filter((ms) => ms === 1000)).toHaveLength(tooMany);
    // retries stay bounded: 4 x (1 create + 3 adds) without faults; each fault costs at most one repeat and a re-read of the tail
    const sent = client.stats.requests - before.requests;
    expect(sent).toBe(statuses.length);
    expect(sent).toBeLessThanOrEqual(16 + 3 * (tooMany + failures));
    expect(client.stats.retries - before.retries).toBeLessThanOrEqual(tooMany + failures);
  });

  test('a Retry-After longer than the cap fails fast with RATE_LIMITED and retryAt on the emulator clock', async () => {
    const r = (running = await startEmulator());
    const { client, sleeps } = clientFor(r, { maxRetryAfterMs: 5_000 });
    await control(r.base, 'POST', '/faults', {
      rate: 1,
      kinds: ['429'],
      retryAfterS: 3600,
      seed: 1,
    });
    const t0 = r.emulator.clock.now();
    const e = await client.me().catch((x: unknown) => x);
    const t1 = r.emulator.clock.now();
    expect(e).toBeInstanceOf(SpotifyError);
    expect((e as SpotifyError).code).toBe('RATE_LIMITED');
    expect((e as SpotifyError).retryAfterMs).toBe(3_600_000);
    // the emulator's clock runs on from START in real time: retryAt is "answer time + 1 h" on it
    expect((e as SpotifyError).retryAt).toBeGreaterThanOrEqual(t0 + 3_600_000);
    expect((e as SpotifyError).retryAt).toBeLessThanOrEqual(t1 + 3_600_000);
    expect(sleeps).toEqual([]);
  });

  test('an expired refresh token surfaces as AUTH_EXPIRED, with no token in the error', async () => {
    const r = (running = await startEmulator());
    const { client } = clientFor(r);
    await expect(client.me()).resolves.toMatchObject({ accountId: expect.any(String) });
    const used = await r.tokens.getAccessToken({});
    // 184 days later the access token has long expired and the refresh token is past its 183 days
    r.emulator.clock.advance(184 * DAY);
    const e = (await client.me().catch((x: unknown) => x)) as SpotifyError;
    expect(e).toBeInstanceOf(SpotifyError);
    expect(e.code).toBe('AUTH_EXPIRED');
    expect(r.tokens.refreshes).toBe(1);
    expect(`${e.message} ${e.stack ?? ''} ${JSON.stringify(e)}`).not.toContain(used);
  });

  test('an access token expired within the refresh token lifetime is renewed once, transparently', async () => {
    const r = (running = await startEmulator());
    const { client } = clientFor(r);
    r.emulator.clock.advance(2 * 3600 * 1000);
    await expect(client.me()).resolves.toMatchObject({ id: expect.any(String) });
    expect(r.tokens.refreshes).toBe(1);
  });

  test('a user missing from the allow-list gets NOT_ALLOWLISTED', async () => {
    const r = (running = await startEmulator({}, 'outsider'));
    const { client } = clientFor(r);
    const e = (await client.topTracks('short_term').catch((x: unknown) => x)) as SpotifyError;
    expect(e.code).toBe('NOT_ALLOWLISTED');
    expect(e.status).toBe(403);
  });

  test.each(['development', 'extended'] as const)(
    'a full snapshot in %s mode: requests valid by contract, features from the right source',
    async (mode) => {
      const r = (running = await startEmulator({ featuresMode: mode }));
      const checker = await contractChecker();
      const apiRoot = `${r.base}/v1`;
      const checking: typeof fetch = async (input, init) => {
        const url = new URL(String(input));
        if (url.href.startsWith(apiRoot)) {
          checker.check({
            method: init?.method ?? 'GET',
            path: url.pathname.slice('/v1'.length),
            query: Object.fromEntries(url.searchParams),
            body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
          });
        }
        return fetch(input, init);
      };
      const { client } = clientFor(r, { fetch: checking });
      await control(r.base, 'POST', '/requests/reset');
      const ids = new Set<string>();
      for (const range of TIME_RANGES)
        for (const t of await client.topTracksUpTo(range)) ids.add(t.id);
      const recent = await client.recentlyPlayed();
      for (const it of recent.items) ids.add(it.track.id);
      expect(recent.items.length).toBeGreaterThan(0);
      const { features, missing } = await client.audioFeatures([...ids]);
      expect(missing).toEqual([]);
      expect(features.size).toBe(ids.size);
      const source = mode === 'development' ? 'reccobeats' : 'spotify';
      expect([...features.values()].every((f) => f.source === source)).toBe(true);
      const featureRequests =
        (client.stats.byOperation['get-several-audio-features'] ?? 0) +
        (client.stats.byOperation['reccobeats-audio-features'] ?? 0);
      expect(featureRequests).toBe(
        mode === 'development' ? 1 + Math.ceil(ids.size / 40) : Math.ceil(ids.size / 100),
      );
      // the client's own count agrees with what the emulator received, operation by operation
      const seen = (await control(r.base, 'GET', '/requests')) as {
        total: number;
        byOperation: Record<string, number>;
      };
      const apiOps = Object.fromEntries(
        Object.entries(seen.byOperation).filter(([op]) => !op.startsWith('accounts')),
      );
      expect(apiOps).toEqual(client.stats.byOperation);
      // the 403 is remembered: the next batch goes straight to the working source
      const again = client.stats.byOperation['get-several-audio-features'] ?? 0;
      await client.audioFeatures([...ids].slice(0, 5));
      expect(client.stats.byOperation['get-several-audio-features'] ?? 0).toBe(
        mode === 'development' ? again : again + 1,
      );
    },
  );
});
