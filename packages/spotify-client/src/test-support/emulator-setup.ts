// Starts the emulator on a loopback port with a registered client and a
// consented listener; every test that uses it closes it.
import { createEmulator, headlessConsent, type Emulator } from '@mtm/spotify-emulator';
import { TIME_RANGES } from '@mtm/core';
import type { SpotifyClient } from '../client.js';
import { RefreshTokenProvider } from './refresh-tokens.js';

export const CLIENT = {
  clientId: 'mtm-test-client',
  clientSecret: 'mtm-test-secret-0123456789',
  redirectUris: ['http://127.0.0.1:8888/auth/callback'],
};
export const START = Date.UTC(2026, 10, 1, 12, 0, 0);

export interface Running {
  emulator: Emulator;
  base: string;
  tokens: RefreshTokenProvider;
}

export async function startEmulator(
  opts: Parameters<typeof createEmulator>[0] = {},
  account: 'listener' | 'outsider' = 'listener',
): Promise<Running> {
  const emulator = await createEmulator({
    seed: 42,
    startTime: START,
    controls: true,
    clients: [CLIENT],
    ...opts,
  });
  const base = await emulator.listen({ host: '127.0.0.1', port: 0 });
  const answer = await headlessConsent(emulator, {
    ...CLIENT,
    redirectUri: CLIENT.redirectUris[0]!,
    account,
  });
  const tokens = new RefreshTokenProvider(`${base}/accounts`, CLIENT, answer);
  return { emulator, base, tokens };
}

export async function control(
  base: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<unknown> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  const res = await fetch(`${base}/_emulator${path}`, init);
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * `n` distinct catalogue track URIs, gathered from the listener's top lists
 * at several emulator dates (the taste drifts); the clock is put back after.
 */
export async function catalogueUris(
  r: Running,
  client: SpotifyClient,
  n: number,
): Promise<string[]> {
  const seen = new Set<string>();
  for (let k = 0; k < 30 && seen.size < n; k++) {
    r.emulator.clock.set(START - k * 120 * 86_400_000);
    for (const range of TIME_RANGES)
      for (const t of await client.topTracksUpTo(range, 99)) seen.add(`spotify:track:${t.id}`);
  }
  r.emulator.clock.set(START);
  if (seen.size < n)
    throw new Error(
      `the emulator's top lists gave ${seen.size} distinct tracks, fewer than the ${n} asked for`,
    );
  return [...seen].slice(0, n);
}
