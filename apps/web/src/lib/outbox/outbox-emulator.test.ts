// The outbox with the real Spotify client against the emulator: the crashes
// the fake-client tests simulate, here through real HTTP, real batches and
// the emulator's injected faults (drops that land, 5xx, 429).
import { createSpotifyClient, type SpotifyClient } from '@mtm/spotify-client';
import {
  createEmulator,
  generateExport,
  headlessConsent,
  type ControlPlaylist,
  type Emulator,
} from '@mtm/spotify-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import type { TimeMachineDb } from '../db/schema';
import { enqueuePush, runEntry, type OutboxClient } from './outbox';
import type { OutboxEntry } from './outbox-entry';

const CLIENT = {
  clientId: 'outbox-test',
  clientSecret: 'outbox-test-secret-0123456789',
  redirectUris: ['http://127.0.0.1:8888/auth/callback'],
};
const ACCOUNT = 'listener';

let emulator: Emulator;
let base: string;
let client: SpotifyClient;
let db: TimeMachineDb;
const uris: string[] = [];

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/_emulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
  return (await res.json()) as T;
}
const playlistsOf = async (entryId: string) =>
  (await control<{ playlists: ControlPlaylist[] }>('GET', '/playlists')).playlists.filter((p) =>
    p.description.includes(`[mtm:${entryId}]`),
  );

beforeAll(async () => {
  emulator = await createEmulator({
    seed: 42,
    startTime: Date.UTC(2026, 10, 1, 12),
    controls: true,
    clients: [CLIENT],
  });
  base = await emulator.listen({ host: '127.0.0.1', port: 0 });
  const tokens = await headlessConsent(emulator, {
    ...CLIENT,
    redirectUri: CLIENT.redirectUris[0]!,
  });
  client = createSpotifyClient({
    apiBaseUrl: `${base}/v1`,
    featuresBaseUrl: null,
    tokenProvider: { getAccessToken: async () => tokens.access_token },
    // Retry-After and backoff waits are the client's business, tested there; here they only slow the run
    sleep: async () => undefined,
  });
  for (const f of generateExport({ from: Date.UTC(2024, 0, 1), to: Date.UTC(2026, 0, 1) })) {
    if (!f.name.includes('Streaming_History_Audio')) continue;
    for (const row of JSON.parse(f.text) as { spotify_track_uri: string | null }[]) {
      if (row.spotify_track_uri && !uris.includes(row.spotify_track_uri) && uris.length < 250)
        uris.push(row.spotify_track_uri);
    }
  }
});
afterAll(async () => {
  await emulator?.close();
});
beforeEach(() => {
  db = freshDb();
});

const queue = (id: string) =>
  enqueuePush(
    db,
    {
      id,
      accountId: ACCOUNT,
      name: `Outbox ${id}`,
      description: 'made by Music Time Machine from your history',
      uris,
    },
    Date.now(),
  );

describe('outbox against the emulator', () => {
  it('has 250 catalogue tracks to push', () => {
    expect(uris).toHaveLength(250);
  });

  it('a crash between "playlist created" and "tracks added" ends with one playlist holding the tracks in order', async () => {
    await queue('crash-create');
    const dying: OutboxClient = {
      findMyPlaylist: (m, o) => client.findMyPlaylist(m, o),
      pushTracks: (id, u, o) => client.pushTracks(id, u, o),
      createPlaylist: async (p, o) => {
        await client.createPlaylist(p, o);
        return new Promise(() => {}); // the tab is gone before the answer is saved
      },
    };
    void runEntry({ db, client: dying, now: Date.now }, 'crash-create');
    await expect.poll(async () => (await playlistsOf('crash-create')).length).toBe(1);

    const done = await runEntry({ db, client, now: Date.now }, 'crash-create');
    expect(done?.state).toBe('done');
    const made = await playlistsOf('crash-create');
    expect(made).toHaveLength(1);
    expect(made[0]!.uris).toEqual(uris);
    expect(made[0]!.public).toBe(false);
  });

  it('a crash between batches resumes without skipping or repeating a track', async () => {
    await queue('crash-batch');
    const ac = new AbortController();
    const cut: OutboxClient = {
      findMyPlaylist: (m, o) => client.findMyPlaylist(m, o),
      createPlaylist: (p, o) => client.createPlaylist(p, o),
      pushTracks: (id, u, o) =>
        client.pushTracks(id, u, {
          ...o,
          signal: ac.signal,
          onProgress: (n) => {
            o?.onProgress?.(n);
            if (n >= 100) ac.abort();
          },
        }),
    };
    const cutShort = await runEntry(
      { db, client: cut, now: Date.now, signal: ac.signal },
      'crash-batch',
    );
    expect(cutShort?.state).toBe('adding');
    expect((await playlistsOf('crash-batch'))[0]!.uris).toEqual(uris.slice(0, 100));

    const done = await runEntry({ db, client, now: Date.now }, 'crash-batch');
    expect(done?.state).toBe('done');
    const made = await playlistsOf('crash-batch');
    expect(made).toHaveLength(1);
    expect(made[0]!.uris).toEqual(uris);
  });

  const attemptsNeeded: number[] = [];
  it.each([
    [0.2, ['429', '500', '502', '503', 'drop'], 1],
    [0.2, ['429', '500', '502', '503', 'drop'], 2],
    [0.2, ['429', '500', '502', '503', 'drop'], 3],
    [0.5, ['drop'], 1],
    [0.5, ['drop'], 2],
    [0.5, ['drop'], 3],
  ] as const)(
    'through %d injected faults %j (seed %i) it ends with exactly one playlist, in order',
    async (rate, kinds, seed) => {
      const id = `faults-${rate}-${kinds.length}-${seed}`;
      await queue(id);
      await control('POST', '/faults', { rate, kinds, retryAfterS: 1, seed });
      let last: OutboxEntry | undefined;
      try {
        // what the runner does over time: run the entry again after each failure
        for (let i = 0; i < 30 && last?.state !== 'done'; i++)
          last = await runEntry({ db, client, now: Date.now }, id);
      } finally {
        await control('DELETE', '/faults');
      }
      expect(last?.state).toBe('done');
      attemptsNeeded.push(last!.attempts);
      const made = await playlistsOf(id);
      expect(made).toHaveLength(1);
      expect(made[0]!.uris).toEqual(uris);
    },
  );

  it('those fault runs included failures the client could not absorb (the outbox retried)', () => {
    expect(attemptsNeeded).toHaveLength(6);
    expect(Math.max(...attemptsNeeded)).toBeGreaterThan(1);
  });
});
