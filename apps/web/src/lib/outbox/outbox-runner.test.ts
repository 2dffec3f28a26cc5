import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TimeMachineDb } from '../db/schema';
import { FakeSpotify, FakeSpotifyError } from './fake-spotify';
import { enqueuePush, type OutboxClient } from './outbox';
import { OutboxRunner } from './outbox-runner';
import type { OutboxEntry } from './outbox-entry';

const ACCOUNT = 'acc-1';
const uris = (n: number) =>
  Array.from({ length: n }, (_, i) => `spotify:track:t${String(i).padStart(21, '0')}`);

let factory: IDBFactory;
let db: TimeMachineDb;
let clock: number;
const open = () => new TimeMachineDb('runner-test', { indexedDB: factory, IDBKeyRange });
const runners: OutboxRunner[] = [];

/** A stand-in for navigator.locks: one holder per name, others wait in order. */
function lockManager() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    request<T>(name: string, _o: { signal?: AbortSignal }, cb: () => Promise<T>): Promise<T> {
      const run = (tails.get(name) ?? Promise.resolve()).then(cb);
      tails.set(
        name,
        run.catch(() => undefined),
      );
      return run;
    },
  };
}

function timers() {
  const armed: { fn: () => void; ms: number }[] = [];
  return {
    armed,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms };
      armed.push(t);
      return t;
    },
    clearTimer: (t: unknown) => {
      const i = armed.indexOf(t as { fn: () => void; ms: number });
      if (i >= 0) armed.splice(i, 1);
    },
  };
}

function runner(
  client: OutboxClient,
  extra: Partial<ConstructorParameters<typeof OutboxRunner>[0]> = {},
) {
  const r = new OutboxRunner({
    db,
    accountId: ACCOUNT,
    client,
    now: () => clock,
    locks: null,
    events: null,
    ...extra,
  });
  runners.push(r);
  return r;
}

beforeEach(async () => {
  factory = new IDBFactory();
  db = open();
  await db.open();
  clock = Date.UTC(2026, 10, 27, 12);
});
afterEach(() => {
  for (const r of runners.splice(0)) r.stop();
  db.close();
});

const queue = (n: number, id = 'e1') =>
  enqueuePush(
    db,
    { id, accountId: ACCOUNT, name: 'Chill - Nov 2026', description: 'd', uris: uris(n) },
    clock,
  );

describe('OutboxRunner', () => {
  it('keeps a push queued while offline and sends it on the online event', async () => {
    const spotify = new FakeSpotify();
    const events = new EventTarget();
    let online = false;
    const r = runner(spotify, { isOnline: () => online, events });
    await queue(3);
    expect(await r.start()).toBeNull();
    expect(spotify.totalRequests).toBe(0);
    expect((await db.outbox.get('e1'))?.state).toBe('pending');

    online = true;
    events.dispatchEvent(new Event('online'));
    await expect.poll(async () => (await db.outbox.get('e1'))?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
  });

  it('resumes a rate-limited push by itself when Retry-After has passed', async () => {
    const spotify = new FakeSpotify();
    const t = timers();
    const r = runner(spotify, t);
    spotify.failNext('create', new FakeSpotifyError('RATE_LIMITED', clock + 90_000));
    await queue(3);
    await r.start();
    expect((await db.outbox.get('e1'))?.state).toBe('failed');
    expect(t.armed.map((a) => a.ms)).toEqual([90_000]);

    clock += 90_000;
    t.armed.splice(0, 1)[0]!.fn();
    await expect.poll(async () => (await db.outbox.get('e1'))?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(t.armed).toHaveLength(0);
  });

  it('two tabs pushing at once make exactly one playlist (Web Lock)', async () => {
    const spotify = new FakeSpotify();
    // slow answers so both tabs are inside a pass at the same time
    const slow: OutboxClient = {
      createPlaylist: async (p) => {
        await new Promise((r) => setImmediate(r));
        return spotify.createPlaylist(p);
      },
      findMyPlaylist: spotify.findMyPlaylist.bind(spotify),
      pushTracks: spotify.pushTracks.bind(spotify),
    };
    const locks = lockManager();
    await queue(5);
    const tabB = open();
    const a = runner(slow, { locks });
    const b = new OutboxRunner({
      db: tabB,
      accountId: ACCOUNT,
      client: slow,
      now: () => clock,
      locks,
      events: null,
    });
    runners.push(b);
    const [ra, rb] = await Promise.all([a.run('open'), b.run('open')]);
    tabB.close();
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(5));
    expect([...ra!.done, ...rb!.done]).toEqual(['e1']);
  });

  it('the Retry button resumes a failed push from where Spotify is', async () => {
    const spotify = new FakeSpotify();
    const r = runner(spotify);
    spotify.failNext('add', new FakeSpotifyError('AUTH_EXPIRED'));
    await queue(150);
    await r.start();
    const failed = (await db.outbox.get('e1')) as OutboxEntry;
    expect(failed.lastError?.code).toBe('AUTH_EXPIRED');
    expect(failed.playlistId).not.toBeNull();
    await r.retry('e1');
    expect((await db.outbox.get('e1'))?.state).toBe('done');
    expect(spotify.playlists).toHaveLength(1);
    expect(spotify.playlists[0]!.uris).toEqual(uris(150));
  });

  it('after stop, no pass runs and the online event is ignored', async () => {
    const spotify = new FakeSpotify();
    const events = new EventTarget();
    const r = runner(spotify, { events });
    await r.start();
    r.stop();
    await queue(3);
    events.dispatchEvent(new Event('online'));
    expect(await r.run('tick')).toBeNull();
    expect(spotify.totalRequests).toBe(0);
  });

  it("issue 12: sends nothing while Spotify is connected as another account, and sends once it is the diary's", async () => {
    const spotify = new FakeSpotify();
    let connected = 'someone-else';
    const checks: (string | null)[] = [];
    const r = runner(spotify, {
      connectedAccount: async () => connected,
      onAccountCheck: (who) => checks.push(who),
    });
    await queue(3);
    expect(await r.start()).toBeNull();
    expect(spotify.totalRequests).toBe(0);
    expect((await db.outbox.get('e1'))?.state).toBe('pending');
    expect(checks).toEqual(['someone-else']);

    connected = ACCOUNT;
    const pass = await r.run('tick');
    expect(pass?.done).toEqual(['e1']);
    expect(spotify.playlists).toHaveLength(1);
  });

  it('issue 12: sends nothing when the connected account cannot be learnt (offline, expired)', async () => {
    const spotify = new FakeSpotify();
    const checks: (string | null)[] = [];
    const r = runner(spotify, {
      connectedAccount: () => Promise.reject(new FakeSpotifyError('AUTH_EXPIRED')),
      onAccountCheck: (who) => checks.push(who),
    });
    await queue(2);
    expect(await r.start()).toBeNull();
    expect(spotify.totalRequests).toBe(0);
    expect(checks).toEqual([null]);
    expect((await db.outbox.get('e1'))?.state).toBe('pending');
  });
});
