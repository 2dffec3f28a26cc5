import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimeMachineDb } from '../db/schema';
import { FakeSpotify, FakeSpotifyError } from './fake-spotify';
import { carriesMarker, describeWithMarker, markerFor } from './marker';
import {
  describeFailure,
  enqueuePush,
  processOutbox,
  retryNow,
  runEntry,
  trackUris,
  type OutboxClient,
} from './outbox';
import { isDue, type OutboxEntry } from './outbox-entry';

const ACCOUNT = 'acc-1';
const uris = (n: number) =>
  Array.from({ length: n }, (_, i) => `spotify:track:t${String(i).padStart(21, '0')}`);

let factory: IDBFactory;
let db: TimeMachineDb;
let clock: number;
const now = () => clock;
const open = () => new TimeMachineDb('outbox-test', { indexedDB: factory, IDBKeyRange });

beforeEach(async () => {
  factory = new IDBFactory();
  db = open();
  await db.open();
  clock = Date.UTC(2026, 10, 27, 12);
});
afterEach(() => db.close());

async function queue(n: number, id = 'e1') {
  return enqueuePush(
    db,
    {
      id,
      accountId: ACCOUNT,
      name: 'Workout Boost - Nov 2026',
      description: 'made by Music Time Machine from your history',
      uris: uris(n),
    },
    clock,
  );
}
const row = async (id = 'e1') => (await db.outbox.get(id)) as OutboxEntry;

describe('a push that meets no failure', () => {
  it('creates one private playlist with the tracks in order, for 1 + ceil(N/100) requests', async () => {
    const spotify = new FakeSpotify();
    await queue(250);
    const after = await runEntry({ db, client: spotify, now }, 'e1');
    expect(after?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(250));
    expect(spotify.playlists[0]!.public).toBe(false);
    expect(spotify.playlists[0]!.name).toBe('Workout Boost - Nov 2026');
    expect(carriesMarker(spotify.playlists[0]!.description, 'e1')).toBe(true);
    expect(spotify.totalRequests).toBe(1 + 3);
    expect(spotify.requests.find).toBe(0);
    const saved = await row();
    expect(saved.addedCount).toBe(250);
    expect(saved.playlistUrl).toBe(`https://open.spotify.com/playlist/${spotify.playlists[0]!.id}`);
    expect(saved.finishedAt).toBe(clock);
  });

  it('does nothing for an entry already done', async () => {
    const spotify = new FakeSpotify();
    await queue(3);
    await runEntry({ db, client: spotify, now }, 'e1');
    await runEntry({ db, client: spotify, now }, 'e1');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.totalRequests).toBe(2);
  });
});

describe('a crash between "playlist created" and "tracks added"', () => {
  it('finds the playlist by its marker instead of creating a second one (tab closed after create)', async () => {
    const spotify = new FakeSpotify();
    // Spotify creates the playlist, then the tab dies before the answer arrives.
    const dying: OutboxClient = {
      ...spotify,
      findMyPlaylist: spotify.findMyPlaylist.bind(spotify),
      pushTracks: spotify.pushTracks.bind(spotify),
      createPlaylist: async (p) => {
        await spotify.createPlaylist(p);
        return new Promise(() => {});
      },
    };
    await queue(150);
    void runEntry({ db, client: dying, now }, 'e1');
    await expect.poll(() => spotify.playlists.length).toBe(1);
    await expect.poll(async () => (await row()).state).toBe('creating');

    // the app opens again, on a new connection to the same database
    const reopened = open();
    const after = await runEntry({ db: reopened, client: spotify, now }, 'e1');
    reopened.close();
    expect(after?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(150));
    expect(spotify.requests.create).toBe(1);
    expect(spotify.requests.find).toBe(1);
  });

  it('recovers when the create answer was lost (applied on Spotify, NETWORK here)', async () => {
    const spotify = new FakeSpotify();
    spotify.failNext('create', new FakeSpotifyError('NETWORK'), true);
    await queue(10);
    const failed = await runEntry({ db, client: spotify, now }, 'e1');
    expect(failed?.state).toBe('failed');
    expect(failed?.lastError?.code).toBe('NETWORK');
    expect(failed?.playlistId).toBeNull();
    expect(failed?.createAttempted).toBe(true);
    const done = await runEntry({ db, client: spotify, now }, 'e1');
    expect(done?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(10));
  });

  it('creates the playlist when the lost create never reached Spotify', async () => {
    const spotify = new FakeSpotify();
    spotify.failNext('create', new FakeSpotifyError('UPSTREAM'), false);
    await queue(10);
    await runEntry({ db, client: spotify, now }, 'e1');
    expect(spotify.playlists).toHaveLength(0);
    const done = await runEntry({ db, client: spotify, now }, 'e1');
    expect(done?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.requests.find).toBe(1);
  });
});

describe('a crash between batches', () => {
  it.each([
    ['the batch was applied before the failure', true],
    ['the batch never arrived', false],
  ])('resumes without skipping or repeating a track when %s', async (_, applied) => {
    const spotify = new FakeSpotify();
    await queue(250);
    // the second add (tracks 100..199) fails
    const client: OutboxClient = {
      createPlaylist: spotify.createPlaylist.bind(spotify),
      findMyPlaylist: spotify.findMyPlaylist.bind(spotify),
      pushTracks: async (id, u, o) => {
        const original = spotify.pushTracks.bind(spotify);
        let calls = 0;
        return original(id, u, {
          ...o,
          onProgress: (n) => {
            o?.onProgress?.(n);
            if (++calls === 1) spotify.failNext('add', new FakeSpotifyError('UPSTREAM'), applied);
          },
        });
      },
    };
    const first = await runEntry({ db, client, now }, 'e1');
    expect(first?.state).toBe('failed');
    expect(first?.playlistId).not.toBeNull();
    expect(first?.addedCount).toBe(100);
    const done = await runEntry({ db, client: spotify, now }, 'e1');
    expect(done?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(250));
    expect(spotify.requests.create).toBe(1);
    expect(spotify.requests.find).toBe(0);
  });

  it('forgets a playlist deleted on Spotify mid-push and makes a new one on retry', async () => {
    const spotify = new FakeSpotify();
    await queue(120);
    spotify.failNext('add', new FakeSpotifyError('UPSTREAM'));
    await runEntry({ db, client: spotify, now }, 'e1');
    spotify.playlists.splice(0, 1);
    const failed = await runEntry({ db, client: spotify, now }, 'e1');
    expect(failed?.lastError?.code).toBe('NOT_FOUND');
    expect(failed?.playlistId).toBeNull();
    await retryNow(db, 'e1', clock);
    const done = await runEntry({ db, client: spotify, now }, 'e1');
    expect(done?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(120));
  });
});

describe('failures and when they resume', () => {
  it('RATE_LIMITED waits until retryAt from the error', async () => {
    const spotify = new FakeSpotify();
    const retryAt = clock + 20 * 3_600_000;
    spotify.failNext('create', new FakeSpotifyError('RATE_LIMITED', retryAt));
    await queue(5);
    const failed = (await runEntry({ db, client: spotify, now }, 'e1'))!;
    expect(failed.state).toBe('failed');
    expect(failed.lastError).toMatchObject({ code: 'RATE_LIMITED', retryAt });
    expect(isDue(failed, retryAt - 1, 'online')).toBe(false);
    expect(isDue(failed, retryAt - 1, 'open')).toBe(false);
    expect(isDue(failed, retryAt, 'tick')).toBe(true);
  });

  it('AUTH_EXPIRED stops the pass and waits for a new connection or the Retry button', async () => {
    const spotify = new FakeSpotify();
    spotify.failNext('create', new FakeSpotifyError('AUTH_EXPIRED'));
    await queue(5, 'e1');
    clock += 1;
    await queue(5, 'e2');
    const pass = await processOutbox({ db, client: spotify, now }, ACCOUNT, 'tick');
    expect(pass).toEqual({ tried: ['e1'], done: [], failed: ['e1'] });
    expect((await row('e2')).state).toBe('pending');
    const failed = await row('e1');
    expect(failed.lastError?.retryAt).toBeNull();
    expect(isDue(failed, clock + 1e9, 'tick')).toBe(false);
    expect(isDue(failed, clock + 1e9, 'online')).toBe(false);
    expect(isDue(failed, clock, 'open')).toBe(true);
    await retryNow(db, 'e1', clock);
    const pass2 = await processOutbox({ db, client: spotify, now }, ACCOUNT, 'tick');
    expect(pass2.done).toEqual(['e1', 'e2']);
    expect(spotify.playlists.map((p) => p.uris.length)).toEqual([5, 5]);
  });

  it('UPSTREAM backs off longer with each attempt, at most 15 minutes', () => {
    const err = new FakeSpotifyError('UPSTREAM');
    expect(describeFailure(err, 0, 1).retryAt).toBe(5_000);
    expect(describeFailure(err, 0, 3).retryAt).toBe(20_000);
    expect(describeFailure(err, 0, 30).retryAt).toBe(15 * 60_000);
  });

  it('a Retry-After already past still waits a second, so the timer cannot spin', () => {
    expect(describeFailure(new FakeSpotifyError('RATE_LIMITED', 5), 1000, 1).retryAt).toBe(2000);
  });

  it('NOT_ALLOWLISTED is kept with its code for the screen and never auto-retried', async () => {
    const spotify = new FakeSpotify();
    spotify.failNext('create', new FakeSpotifyError('NOT_ALLOWLISTED'));
    await queue(5);
    const failed = (await runEntry({ db, client: spotify, now }, 'e1'))!;
    expect(failed.lastError?.code).toBe('NOT_ALLOWLISTED');
    for (const reason of ['open', 'online', 'tick'] as const)
      expect(isDue(failed, clock + 1e12, reason)).toBe(false);
  });

  it('an abort leaves the entry mid-flight so the next pass resumes it', async () => {
    const spotify = new FakeSpotify();
    const ac = new AbortController();
    const client: OutboxClient = {
      ...spotify,
      findMyPlaylist: spotify.findMyPlaylist.bind(spotify),
      createPlaylist: spotify.createPlaylist.bind(spotify),
      pushTracks: async () => {
        ac.abort();
        throw Object.assign(new Error('aborted'), { code: 'ABORTED' });
      },
    };
    await queue(5);
    const after = await runEntry({ db, client, now, signal: ac.signal }, 'e1');
    expect(after?.state).toBe('adding');
    expect(isDue(after!, clock, 'tick')).toBe(true);
    const done = await runEntry({ db, client: spotify, now }, 'e1');
    expect(done?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
  });
});

describe('a pass', () => {
  it('also sends a push queued while it runs', async () => {
    const spotify = new FakeSpotify();
    const client: OutboxClient = {
      findMyPlaylist: spotify.findMyPlaylist.bind(spotify),
      pushTracks: spotify.pushTracks.bind(spotify),
      createPlaylist: async (p) => {
        if (spotify.requests.create === 0) {
          clock += 1;
          await queue(2, 'late');
        }
        return spotify.createPlaylist(p);
      },
    };
    await queue(2, 'e1');
    const pass = await processOutbox({ db, client, now }, ACCOUNT, 'tick');
    expect(pass.done).toEqual(['e1', 'late']);
  });

  it('leaves other accounts alone', async () => {
    const spotify = new FakeSpotify();
    await enqueuePush(
      db,
      { id: 'other', accountId: 'acc-2', name: 'x', description: 'y', uris: uris(1) },
      clock,
    );
    const pass = await processOutbox({ db, client: spotify, now }, ACCOUNT, 'open');
    expect(pass.tried).toEqual([]);
    expect(spotify.totalRequests).toBe(0);
  });
});

describe('entries and markers', () => {
  it('refuses an empty list and ids that are not Spotify tracks', async () => {
    await expect(
      enqueuePush(db, { accountId: ACCOUNT, name: 'x', description: 'y', uris: [] }, clock),
    ).rejects.toThrow(/at least one/);
    await expect(
      enqueuePush(
        db,
        { accountId: ACCOUNT, name: 'x', description: 'y', uris: ['spotify:episode:1'] },
        clock,
      ),
    ).rejects.toThrow(/Not a Spotify track/);
    expect(await db.outbox.count()).toBe(0);
  });

  it('keeps only real track ids when turning ids into URIs', () => {
    expect(trackUris(['4uLU6hMCjMI75M1A2tKUQC', 'queen|bohemian rhapsody'])).toEqual([
      'spotify:track:4uLU6hMCjMI75M1A2tKUQC',
    ]);
  });

  it('keeps the marker whole when the description is too long for Spotify', () => {
    const d = describeWithMarker('x'.repeat(400), 'abc');
    expect(d.length).toBeLessThanOrEqual(300);
    expect(d.endsWith(markerFor('abc'))).toBe(true);
    expect(carriesMarker(d, 'abc')).toBe(true);
    expect(carriesMarker(d, 'ab')).toBe(false);
  });
});
