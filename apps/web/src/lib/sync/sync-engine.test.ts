import { describe, expect, it, vi } from 'vitest';
import { SpotifyError } from '@mtm/spotify-client';
import type { AudioFeatures, TimeRange, Track } from '@mtm/core';
import { freshDb, track } from '../db/test-db';
import { allSnapshots, countSnapshots } from '../db/snapshots';
import { addPlays, allPlays } from '../db/plays';
import { getTracks } from '../db/tracks';
import { accountKey, readMeta } from '../db/meta';
import { saveSettings } from '../db/settings';
import { getFeatures } from '../db/features';
import { RECENT_CURSOR } from '../db/recent-plays';
import { captureGaps, lastCapture } from '../db/capture';
import { runSync, type SyncClient, type SyncProgress } from './sync-engine';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 12);
const id = (n: number) => `trk${String(n).padStart(19, '0')}`; // 22 characters, like Spotify's

function features(trackId: string): AudioFeatures {
  return {
    trackId,
    energy: 0.5,
    valence: 0.5,
    danceability: 0.5,
    tempo: 120,
    acousticness: 0.2,
    instrumentalness: 0,
    source: 'reccobeats',
    fetchedAt: T0,
  };
}

function fakeClient(over: Partial<SyncClient> = {}) {
  const top: Record<TimeRange, Track[]> = {
    short_term: [track(id(1)), track(id(2))],
    medium_term: [track(id(2)), track(id(3))],
    long_term: [track(id(4))],
  };
  const recent = [
    { playedAt: T0 - 3_000_000, track: track(id(5)) },
    { playedAt: T0 - 1_000_000, track: track(id(1)) },
  ];
  const client = {
    me: vi.fn(async () => ({ accountId: 'acc', id: 'user', displayName: 'Ana', imageUrl: null })),
    topTracksUpTo: vi.fn(async (range: TimeRange) => top[range]),
    recentlyPlayed: vi.fn(async (o?: { after?: number }) => {
      const items = recent.filter((r) => r.playedAt > (o?.after ?? 0));
      return { items, nextAfter: items.length ? Math.max(...items.map((i) => i.playedAt)) : null };
    }),
    audioFeatures: vi.fn(async (ids: string[]) => ({
      features: new Map(ids.filter((x) => x !== id(4)).map((x) => [x, features(x)])),
      missing: ids.filter((x) => x === id(4)),
    })),
    ...over,
  };
  return { client, top, recent };
}

function deps(db = freshDb(), client: SyncClient, now = T0) {
  const progress: SyncProgress[] = [];
  const clock = { now };
  return {
    progress,
    clock,
    deps: {
      db,
      client,
      now: () => clock.now,
      sleep: vi.fn(async (ms: number) => {
        clock.now += ms;
      }),
      onProgress: (p: SyncProgress) => progress.push(p),
    },
  };
}

describe('runSync', () => {
  it('first sync stores the account, three snapshots, recent plays with a cursor, and features', async () => {
    const { client } = fakeClient();
    const { deps: d, progress } = deps(freshDb(), client);
    const res = await runSync(d);

    expect(res).toMatchObject({
      accountId: 'acc',
      snapshotsTaken: ['short_term', 'medium_term', 'long_term'],
      newPlays: 2,
      featuresFetched: 4,
      featuresMissing: 1,
    });
    const snaps = await allSnapshots(d.db, 'acc');
    expect(snaps.map((s) => [s.range, s.trackIds])).toEqual(
      expect.arrayContaining([
        ['short_term', [id(1), id(2)]],
        ['long_term', [id(4)]],
      ]),
    );
    expect(new Set(snaps.map((s) => s.takenAt))).toEqual(new Set([T0]));
    expect((await allPlays(d.db, 'acc')).map((p) => p.trackId)).toEqual([id(5), id(1)]);
    expect(await readMeta(d.db, accountKey('acc', RECENT_CURSOR))).toBe(T0 - 1_000_000);
    expect((await getTracks(d.db, [id(1), id(5)])).size).toBe(2);
    expect(progress).toContainEqual({ step: 'snapshots', done: 2, total: 3 });
  });

  it('takes no snapshot one day later and a new set eight days later (weekly cadence)', async () => {
    const { client } = fakeClient();
    const db = freshDb();
    await runSync(deps(db, client, T0).deps);
    expect((await runSync(deps(db, client, T0 + DAY).deps)).snapshotsTaken).toEqual([]);
    expect(await countSnapshots(db, 'acc')).toBe(3);
    expect((await runSync(deps(db, client, T0 + 8 * DAY).deps)).snapshotsTaken).toHaveLength(3);
    expect(await countSnapshots(db, 'acc')).toBe(6);
  });

  it('honours the cadence setting and "snapshot now"', async () => {
    const { client } = fakeClient();
    const db = freshDb();
    await runSync(deps(db, client, T0).deps);
    await saveSettings(db, 'acc', { cadence: 'daily' }, T0);
    expect((await runSync(deps(db, client, T0 + DAY).deps)).snapshotsTaken).toHaveLength(3);
    expect(
      (await runSync(deps(db, client, T0 + DAY + 1000).deps, { snapshotNow: true })).snapshotsTaken,
    ).toHaveLength(3);
    expect(await countSnapshots(db, 'acc')).toBe(9);
  });

  it('asks recently-played only for plays after the stored cursor and never doubles a play', async () => {
    const { client } = fakeClient();
    const db = freshDb();
    await runSync(deps(db, client).deps);
    const second = await runSync(deps(db, client, T0 + 60_000).deps);
    expect(client.recentlyPlayed).toHaveBeenLastCalledWith(
      expect.objectContaining({ after: T0 - 1_000_000 }),
    );
    expect(second.newPlays).toBe(0);
    expect(await allPlays(db, 'acc')).toHaveLength(2);
  });

  it('does not count again a listen already imported from the privacy export (played_at has ms, ts only seconds)', async () => {
    const { client, recent } = fakeClient();
    const db = freshDb();
    const imported = recent.map((r) => ({
      accountId: 'acc',
      playedAt: Math.floor(r.playedAt / 1000) * 1000 - 1000,
      trackId: r.track.id,
      msPlayed: 200_000,
      source: 'export' as const,
    }));
    await addPlays(db, imported);
    const res = await runSync(deps(db, client).deps);
    expect(res.newPlays).toBe(0);
    expect(await allPlays(db, 'acc')).toHaveLength(2);
  });

  it('fetches features only for tracks that lack them, and not again for ids the source did not know', async () => {
    const { client } = fakeClient();
    const db = freshDb();
    await runSync(deps(db, client).deps);
    const first = vi.mocked(client.audioFeatures).mock.calls.flatMap((c) => c[0]);
    expect(new Set(first)).toEqual(new Set([id(1), id(2), id(3), id(4), id(5)]));

    await addPlays(db, [
      { accountId: 'acc', playedAt: T0 + 5, trackId: id(9), msPlayed: 60_000, source: 'export' },
      {
        accountId: 'acc',
        playedAt: T0 + 6,
        trackId: 'name:band|song',
        msPlayed: 60_000,
        source: 'export',
      },
    ]);
    vi.mocked(client.audioFeatures).mockClear();
    await runSync(deps(db, client, T0 + DAY).deps);
    expect(vi.mocked(client.audioFeatures).mock.calls.flatMap((c) => c[0])).toEqual([id(9)]);
    expect((await getFeatures(db, [id(9)])).size).toBe(1);
  });

  it('says "paused until" on a long rate limit, waits, and resumes', async () => {
    const retryAt = T0 + 3_600_000;
    let calls = 0;
    const { client } = fakeClient();
    const inner = client.topTracksUpTo;
    const limited = vi.fn(async (range: TimeRange) => {
      if (range === 'medium_term' && calls++ === 0)
        throw new SpotifyError('RATE_LIMITED', 'slow down', {
          status: 429,
          retryAfterMs: 3_600_000,
          retryAt,
        });
      return inner(range);
    });
    const { deps: d, progress, clock } = deps(freshDb(), { ...client, topTracksUpTo: limited });
    const res = await runSync(d);
    expect(progress).toContainEqual({ step: 'paused', until: retryAt });
    expect(d.sleep).toHaveBeenCalledWith(3_600_000, undefined);
    expect(clock.now).toBe(retryAt);
    expect(res.snapshotsTaken).toHaveLength(3);
  });

  it('gives up after too many pauses with RATE_LIMITED', async () => {
    const { client } = fakeClient({
      me: vi.fn(async () => {
        throw new SpotifyError('RATE_LIMITED', 'x', { status: 429, retryAt: T0 + 1000 });
      }),
    });
    const { deps: d } = deps(freshDb(), client);
    await expect(runSync({ ...d, maxPauses: 2 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(d.sleep).toHaveBeenCalledTimes(2);
  });

  it('stores no snapshot at all when one range fails mid-step', async () => {
    const { client } = fakeClient();
    const failing = vi.fn(async (range: TimeRange) => {
      if (range === 'long_term') throw new SpotifyError('UPSTREAM', 'bad gateway', { status: 502 });
      return client.topTracksUpTo(range);
    });
    const { deps: d } = deps(freshDb(), { ...client, topTracksUpTo: failing });
    await expect(runSync(d)).rejects.toMatchObject({ code: 'UPSTREAM' });
    expect(await countSnapshots(d.db, 'acc')).toBe(0);
    expect((await getTracks(d.db, [id(1)])).size).toBe(0);
  });

  it('keeps the whole diary when the connection expired', async () => {
    const { client } = fakeClient();
    const db = freshDb();
    await runSync(deps(db, client).deps);
    const expired = {
      ...client,
      me: vi.fn(async () => {
        throw new SpotifyError('AUTH_EXPIRED', 'expired', { status: 401 });
      }),
    };
    await expect(runSync(deps(db, expired, T0 + 30 * DAY).deps)).rejects.toMatchObject({
      code: 'AUTH_EXPIRED',
    });
    expect(await countSnapshots(db, 'acc')).toBe(3);
    expect(await allPlays(db, 'acc')).toHaveLength(2);
  });

  it('goes on without features when the source is unavailable', async () => {
    const { client } = fakeClient({
      audioFeatures: vi.fn(async () => {
        throw new SpotifyError('FEATURES_UNAVAILABLE', 'gone', { status: 403 });
      }),
    });
    const { deps: d } = deps(freshDb(), client);
    const res = await runSync(d);
    expect(res).toMatchObject({
      featuresUnavailable: true,
      featuresFetched: 0,
      featuresMissing: 5,
    });
    expect(await countSnapshots(d.db, 'acc')).toBe(3);
  });
});

describe('features per sync', () => {
  it('fetches at most FEATURES_PER_SYNC per sync, the newest snapshot tracks first, the rest on the next sync', async () => {
    const { FEATURES_PER_SYNC } = await import('./sync-engine');
    const { client } = fakeClient();
    const db = freshDb();
    const many = Array.from({ length: FEATURES_PER_SYNC + 10 }, (_, i) => ({
      accountId: 'acc',
      playedAt: i + 1,
      trackId: id(1000 + i),
      msPlayed: 60_000,
      source: 'export' as const,
    }));
    await addPlays(db, many);
    const first = await runSync(deps(db, client).deps);
    const asked = vi.mocked(client.audioFeatures).mock.calls.flatMap((c) => c[0]);
    expect(asked).toHaveLength(FEATURES_PER_SYNC);
    expect(asked.slice(0, 2)).toEqual([id(1), id(2)]); // the snapshot's tracks lead
    expect(first.featuresMissing).toBeGreaterThan(10);
    vi.mocked(client.audioFeatures).mockClear();
    await runSync(deps(db, client, T0 + 1000).deps);
    // 815 known ids, 800 asked the first time: the 15 never asked follow now; id(4),
    // which the source did not know, waits 30 days
    const second = vi.mocked(client.audioFeatures).mock.calls.flatMap((c) => c[0]);
    expect(second).toHaveLength(15);
    expect(second).not.toContain(id(4));
  });

  describe('issue 14: capture gaps', () => {
    // a listener who played one stream every 10 minutes: 50 in each of the
    // 8 weeks before, and then a full page of 50 plays a day after the cursor
    const recentPage = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ playedAt: from + i * 60_000, track: track(id(7)) }));

    it('a full page whose oldest play is newer than the cursor stores a gap with bounds and an estimate, in the same step as the plays', async () => {
      const db = freshDb();
      const history = Array.from({ length: 8 * 7 * 24 * 6 }, (_, i) => ({
        accountId: 'acc',
        playedAt: T0 - 8 * 7 * DAY + i * 600_000,
        trackId: id(8),
        msPlayed: 200_000,
        source: 'export' as const,
      }));
      await addPlays(db, history);
      const first = fakeClient();
      await runSync(deps(db, first.client).deps);
      const cursor = (await readMeta<number>(db, accountKey('acc', RECENT_CURSOR)))!;
      const page = recentPage(cursor + DAY, 50);
      const { client } = fakeClient({
        recentlyPlayed: vi.fn(async (o?: { after?: number }) => {
          const items = page.filter((r) => r.playedAt > (o?.after ?? 0));
          return { items, nextAfter: items.length ? items[items.length - 1]!.playedAt : null };
        }),
      });
      const res = await runSync(deps(db, client, cursor + 2 * DAY).deps);
      expect(res.newPlays).toBe(50);
      const gaps = await captureGaps(db, 'acc');
      expect(gaps).toHaveLength(1);
      expect(gaps[0]).toMatchObject({ from: cursor, to: cursor + DAY });
      // six streams an hour, every hour of the week: 144 a day, counted from
      // the first sync (T0), which saw nothing after the cursor
      expect(gaps[0]!.estimate).toBe(Math.round((144 * (cursor + DAY - T0)) / DAY));
      expect(await lastCapture(db, 'acc')).toEqual({ at: cursor + 2 * DAY, via: 'page' });
    });

    it('two captures that overlap (the worker and a page): the later commit never moves the cursor back nor adds a gap before the stored cursor', async () => {
      const db = freshDb();
      const { client } = fakeClient();
      await runSync(deps(db, client).deps);
      const cursor = (await readMeta<number>(db, accountKey('acc', RECENT_CURSOR)))!;
      const plays = recentPage(cursor + DAY, 80);
      // recently-played as it stands when asked: the last 50 of what was played by then
      const answer = (playedSoFar: number, after: number) => {
        const items = plays
          .slice(0, playedSoFar)
          .slice(-50)
          .filter((r) => r.playedAt > after);
        return { items, nextAfter: items.at(-1)?.playedAt ?? null };
      };
      // the worker asks when 60 were played and is slow to store; the page
      // asks when 80 were, and commits first
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const slow = fakeClient({
        recentlyPlayed: vi.fn(async (o?: { after?: number }) => {
          const r = answer(60, o?.after ?? 0);
          await held;
          return r;
        }),
      }).client;
      const fast = fakeClient({
        recentlyPlayed: vi.fn(async (o?: { after?: number }) => answer(80, o?.after ?? 0)),
      }).client;
      const worker = runSync(deps(db, slow, cursor + 2 * DAY).deps, { background: true });
      await runSync(deps(db, fast, cursor + 2 * DAY).deps);
      release();
      await worker;
      expect(await readMeta<number>(db, accountKey('acc', RECENT_CURSOR))).toBe(
        plays[79]!.playedAt,
      );
      // the page's gap only: the worker's, before the stored cursor, is not added
      expect((await captureGaps(db, 'acc')).map((g) => [g.from, g.to])).toEqual([
        [cursor, plays[30]!.playedAt],
      ]);
      expect(await allPlays(db, 'acc')).toHaveLength(2 + 70);
    });

    it('a page with room left records no gap, and a capture with no new plays is still noted', async () => {
      const { client } = fakeClient();
      const db = freshDb();
      await runSync(deps(db, client).deps);
      await runSync(deps(db, client, T0 + 60_000).deps);
      expect(await captureGaps(db, 'acc')).toEqual([]);
      expect(await lastCapture(db, 'acc')).toEqual({ at: T0 + 60_000, via: 'page' });
    });

    it('a background capture takes plays and snapshots, asks no audio features, and says it ran in the background', async () => {
      const { client } = fakeClient();
      const db = freshDb();
      const res = await runSync(deps(db, client).deps, { background: true });
      expect(res.newPlays).toBe(2);
      expect(res.snapshotsTaken).toHaveLength(3);
      expect(client.audioFeatures).not.toHaveBeenCalled();
      expect(await lastCapture(db, 'acc')).toEqual({ at: T0, via: 'background' });
    });
  });
});
