import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Track } from '@mtm/core';
import { SpotifyError } from '@mtm/spotify-client';
import { freshDb, track } from '../db/test-db';
import { saveTracks } from '../db/tracks';
import type { TimeMachineDb } from '../db/schema';
import { CoverQueue, RELEASE_GRACE_MS, type CoverClient } from './cover-queue';

const id = (n: number) => `${'t'.repeat(20)}${String(n).padStart(2, '0')}`;
const imported = (n: number): Track =>
  track(id(n), {
    artists: [{ id: null, name: `Artist ${n}` }],
    album: { id: null, name: `Album ${n}`, imageUrl: null },
    durationMs: null,
  });
const answer = (trackId: string): Track =>
  track(trackId, {
    name: 'Spotify name',
    album: { id: `alb-${trackId}`, name: 'Spotify album', imageUrl: `https://img.test/${trackId}` },
    isrc: 'ISRC1',
  });

/** A client whose answers the test releases one by one. */
function fakeClient() {
  const calls: {
    id: string;
    signal: AbortSignal | undefined;
    resolve: (t: Track) => void;
    reject: (e: unknown) => void;
  }[] = [];
  const client: CoverClient = {
    track: vi.fn(
      (trackId: string, o?: { signal?: AbortSignal }) =>
        new Promise<Track>((resolve, reject) => {
          calls.push({ id: trackId, signal: o?.signal, resolve, reject });
          o?.signal?.addEventListener('abort', () =>
            reject(new SpotifyError('ABORTED', 'aborted')),
          );
        }),
    ),
  };
  return { client, calls, answer: (i: number) => calls[i]!.resolve(answer(calls[i]!.id)) };
}

/** Lets the queue's IndexedDB reads and writes (and their promise chains) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

let db: TimeMachineDb;
let online: boolean;
beforeEach(async () => {
  db = freshDb();
  online = true;
  await saveTracks(
    db,
    Array.from({ length: 8 }, (_, i) => imported(i)),
  );
});
afterEach(() => {
  vi.useRealTimers();
});

function queueWith(client: CoverClient, concurrency = 2, now = () => Date.now()) {
  return new CoverQueue({
    db: () => db,
    client: () => client,
    ready: () => online,
    concurrency,
    now,
  });
}

describe('cover queue (issue 7: covers for imported tracks)', () => {
  it('asks only for covers on screen, stores the URL, fills gaps without overwriting names or artists, and tells the cover', async () => {
    const f = fakeClient();
    const q = queueWith(f.client);
    const shown: string[] = [];
    q.want(id(1), (url) => shown.push(url));
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(1)]);
    f.answer(0);
    await settle();
    expect(shown).toEqual([`https://img.test/${id(1)}`]);
    const row = await db.tracks.get(id(1));
    expect(row?.album).toEqual({
      id: `alb-${id(1)}`,
      name: 'Album 1',
      imageUrl: `https://img.test/${id(1)}`,
    });
    expect(row?.name).toBe(`Track ${id(1)}`);
    expect(row?.artists).toEqual([{ id: null, name: 'Artist 1' }]);
    expect(row?.durationMs).toBe(200_000);
    expect(row?.isrc).toBe('ISRC1');
    // untouched tracks were never asked for
    expect((await db.tracks.get(id(2)))?.album.imageUrl).toBeNull();
  });

  it('asks once for a track shown twice (mosaic and list), and not again once known', async () => {
    const f = fakeClient();
    const q = queueWith(f.client);
    const a: string[] = [];
    const b: string[] = [];
    q.want(id(1), (u) => a.push(u));
    q.want(id(1), (u) => b.push(u));
    await settle();
    f.answer(0);
    await settle();
    const c: string[] = [];
    q.want(id(1), (u) => c.push(u));
    await settle();
    expect(f.client.track).toHaveBeenCalledTimes(1);
    expect([a.length, b.length, c.length]).toEqual([1, 1, 1]);
  });

  it('never has more than the cap in flight, and starts the next when one finishes', async () => {
    const f = fakeClient();
    const q = queueWith(f.client, 2);
    for (let i = 0; i < 6; i++) q.want(id(i), () => undefined);
    await settle();
    expect(f.calls).toHaveLength(2);
    expect(q.waiting).toBe(4);
    f.answer(0);
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(0), id(1), id(2)]);
    expect(q.inFlight).toBe(2);
  });

  it('does not ask for a track that already has a cover, or that is not in the database', async () => {
    await saveTracks(db, [track(id(9))]);
    const f = fakeClient();
    const q = queueWith(f.client);
    const got: string[] = [];
    q.want(id(9), (u) => got.push(u));
    q.want(id(42), () => undefined);
    await settle();
    expect(f.client.track).not.toHaveBeenCalled();
    expect(got).toEqual([`https://i.scdn.co/image/${id(9)}`]);
  });

  it('asks for nothing while offline or not connected, and starts when woken', async () => {
    online = false;
    const f = fakeClient();
    const q = queueWith(f.client);
    q.want(id(1), () => undefined);
    await settle();
    expect(f.client.track).not.toHaveBeenCalled();
    online = true;
    q.wake();
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(1)]);
  });

  it('drops a cover that left the screen before its turn, and aborts one already asked for', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const f = fakeClient();
    const q = queueWith(f.client, 1);
    const release1 = q.want(id(1), () => undefined);
    const release2 = q.want(id(2), () => undefined);
    q.want(id(3), () => undefined);
    await settle();
    expect(f.calls).toHaveLength(1);
    release2();
    release1();
    // it may be back on screen at once (a redraw): the abort waits out the grace
    expect(f.calls[0]!.signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(RELEASE_GRACE_MS);
    expect(f.calls[0]!.signal?.aborted).toBe(true);
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(1), id(3)]);
    // an abort is not a failure: back on screen, it is asked for again
    expect(q.failureOf(id(1))).toBeNull();
    q.want(id(1), () => undefined);
    f.answer(1);
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(1), id(3), id(1)]);
  });

  it('keeps a request going when its cover is back on screen within the grace: one request, not two', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const f = fakeClient();
    const q = queueWith(f.client);
    const release = q.want(id(1), () => undefined);
    await settle();
    expect(f.calls).toHaveLength(1);
    // the row is redrawn (or pushed off the screen for a moment, then back)
    release();
    await vi.advanceTimersByTimeAsync(RELEASE_GRACE_MS / 2);
    const shown: string[] = [];
    q.want(id(1), (url) => shown.push(url));
    await vi.advanceTimersByTimeAsync(RELEASE_GRACE_MS);
    expect(f.calls[0]!.signal?.aborted).toBe(false);
    f.answer(0);
    await settle();
    expect(f.calls).toHaveLength(1);
    expect(shown).toHaveLength(1);
  });

  it('keeps a request going while another cover of the same track is still on screen', async () => {
    const f = fakeClient();
    const q = queueWith(f.client);
    const releaseMosaic = q.want(id(1), () => undefined);
    q.want(id(1), () => undefined);
    await settle();
    releaseMosaic();
    expect(f.calls[0]!.signal?.aborted).toBe(false);
  });

  it('never asks again in this session for a track Spotify does not know', async () => {
    const f = fakeClient();
    const q = queueWith(f.client);
    const release = q.want(id(1), () => undefined);
    await settle();
    f.calls[0]!.reject(new SpotifyError('NOT_FOUND', 'no such track', { status: 404 }));
    await settle();
    release();
    expect(q.failureOf(id(1))?.code).toBe('NOT_FOUND');
    q.want(id(1), () => undefined);
    await settle();
    expect(f.client.track).toHaveBeenCalledTimes(1);
  });

  it('remembers other failures: one more try when shown again, then none', async () => {
    const f = fakeClient();
    const q = queueWith(f.client);
    for (let attempt = 0; attempt < 3; attempt++) {
      const release = q.want(id(1), () => undefined);
      await settle();
      f.calls[attempt]?.reject(new SpotifyError('UPSTREAM', 'bad gateway', { status: 502 }));
      await settle();
      release();
    }
    expect(f.client.track).toHaveBeenCalledTimes(2);
    expect(q.failureOf(id(1))).toEqual({ code: 'UPSTREAM', tries: 2 });
  });

  it('on RATE_LIMITED stops and waits until retryAt, then asks for the same cover first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.UTC(2026, 10, 27, 3, 0, 0));
    const f = fakeClient();
    const q = queueWith(f.client, 1);
    q.want(id(1), () => undefined);
    q.want(id(2), () => undefined);
    await settle();
    const retryAt = Date.now() + 90_000;
    f.calls[0]!.reject(
      new SpotifyError('RATE_LIMITED', 'slow down', { status: 429, retryAfterMs: 90_000, retryAt }),
    );
    await settle();
    expect(q.pausedUntil).toBe(retryAt);
    q.want(id(3), () => undefined);
    q.wake();
    await settle();
    expect(f.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(89_000);
    await settle();
    expect(f.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(f.calls.map((c) => c.id)).toEqual([id(1), id(1)]);
  });

  it.each(['QUOTA_EXCEEDED', 'AUTH_EXPIRED', 'NOT_ALLOWLISTED'] as const)(
    'gives up quietly for the session on %s',
    async (code) => {
      const f = fakeClient();
      const q = queueWith(f.client, 1);
      q.want(id(1), () => undefined);
      q.want(id(2), () => undefined);
      await settle();
      f.calls[0]!.reject(
        new SpotifyError(code, 'no', { status: code === 'AUTH_EXPIRED' ? 401 : 403 }),
      );
      await settle();
      q.want(id(3), () => undefined);
      q.wake();
      await settle();
      expect(q.stopped).toBe(code);
      expect(f.client.track).toHaveBeenCalledTimes(1);
    },
  );
});
