import { createSpotifyClient, type SpotifyClient, type SpotifyClientOptions } from '../client.js';
import type { TokenProvider } from '../transport.js';
import { fetchSpy, type Call, type Handler } from './fetch-spy.js';

export const API = 'https://api.spotify.test/v1';
export const FEATURES = 'https://api.reccobeats.test/v1';
export const T0 = Date.UTC(2026, 10, 27, 12, 0, 0);

/** Hands out tok-1, tok-2, ... : a forced refresh always yields a new token. */
export class CountingTokens implements TokenProvider {
  issued = 0;
  forced = 0;
  async getAccessToken(opts: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<string> {
    if (opts.forceRefresh) this.forced++;
    if (this.issued === 0 || opts.forceRefresh) this.issued++;
    return `secret-token-${this.issued}-abcdef`;
  }
}

export interface Harness {
  client: SpotifyClient;
  calls: Call[];
  sleeps: number[];
  tokens: CountingTokens;
  clock: { now: number };
}

/** A client on a fetch spy, a fake clock, and a sleep that records its delays and advances the clock. */
export function harness(handler: Handler, opts: Partial<SpotifyClientOptions> = {}): Harness {
  const spy = fetchSpy(handler);
  const sleeps: number[] = [];
  const clock = { now: T0 };
  const tokens = new CountingTokens();
  const client = createSpotifyClient({
    apiBaseUrl: API,
    featuresBaseUrl: FEATURES,
    tokenProvider: tokens,
    fetch: spy.fetch,
    now: () => clock.now,
    random: () => 0.5,
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      sleeps.push(ms);
      clock.now += ms;
    },
    requestTimeoutMs: null,
    ...opts,
  });
  return { client, calls: spy.calls, sleeps, tokens, clock };
}

export async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}
