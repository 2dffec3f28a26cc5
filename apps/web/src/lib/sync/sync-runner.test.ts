import { describe, expect, it, vi } from 'vitest';
import { SpotifyError } from '@mtm/spotify-client';
import { useDatabase } from '../db/database';
import { freshDb, track } from '../db/test-db';
import type { Session } from '../spotify/session.svelte';
import { SyncRunner } from './sync-runner.svelte';
import type { SyncClient } from './sync-engine';

function client(over: Partial<SyncClient> = {}): SyncClient {
  return {
    me: vi.fn(async () => ({ accountId: 'acc', id: 'u', displayName: 'Ana', imageUrl: null })),
    topTracksUpTo: vi.fn(async () => [track('0000000000000000000001')]),
    recentlyPlayed: vi.fn(async () => ({ items: [], nextAfter: null })),
    audioFeatures: vi.fn(async () => ({ features: new Map(), missing: [] })),
    ...over,
  };
}

function fakeSession(c: SyncClient, connection: Session['connection'] = 'unknown') {
  const s = {
    connection,
    online: true,
    config: { demo: true, apiBaseUrl: 'x', featuresBaseUrl: null, imageOrigins: [] },
    start: vi.fn(async () => undefined),
    reloadConfig: vi.fn(async () => undefined),
    client: () => c,
    generation: 3,
    markConnected: vi.fn(),
    markNotAllowlisted: vi.fn(),
    refreshAccounts: vi.fn(async () => undefined),
  };
  return s as typeof s & Session;
}

describe('SyncRunner', () => {
  it('shares one run between concurrent callers and reports the result in words', async () => {
    useDatabase(freshDb());
    const c = client();
    const s = fakeSession(c);
    const runner = new SyncRunner(s);
    const [a, b] = await Promise.all([runner.sync(), runner.sync()]);
    expect(a).toBe(b);
    expect(c.me).toHaveBeenCalledTimes(1);
    expect(runner.phase).toBe('done');
    expect(runner.line).toContain('saved your top tracks');
    // with the disconnect generation the run started in
    expect(s.markConnected).toHaveBeenCalledWith('acc', 3);
  });

  it('"snapshot now" during a run that takes none runs after it, and takes the snapshot', async () => {
    const db = freshDb();
    useDatabase(db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const c = client({
      me: vi.fn(async () => {
        await gate;
        return { accountId: 'acc', id: 'u', displayName: 'Ana', imageUrl: null };
      }),
    });
    const runner = new SyncRunner(fakeSession(c));
    const onOpen = runner.sync();
    const now = runner.sync({ snapshotNow: true });
    const again = runner.sync({ snapshotNow: true });
    release();
    const [first, asked, second] = await Promise.all([onOpen, now, again]);
    // the run on open took the first (due) snapshots; the one asked for took its own
    expect(first!.snapshotsTaken.length).toBeGreaterThan(0);
    expect(asked!.snapshotsTaken.length).toBeGreaterThan(0);
    // two taps while waiting share the one run that follows
    expect(second).toBe(asked);
    expect(c.me).toHaveBeenCalledTimes(2);
  });

  it('a listener missing from the allow-list is told so and the session knows it', async () => {
    useDatabase(freshDb());
    const s = fakeSession(
      client({
        me: vi.fn(async () => {
          throw new SpotifyError('NOT_ALLOWLISTED', 'x', { status: 403 });
        }),
      }),
    );
    const runner = new SyncRunner(s);
    expect(await runner.sync()).toBeNull();
    expect(runner.phase).toBe('failed');
    expect(runner.line).toBe('This Spotify app has not been opened to your account yet.');
    expect(s.markNotAllowlisted).toHaveBeenCalled();
  });

  it('stays quiet when this device was never connected, and speaks when the connection expired', async () => {
    useDatabase(freshDb());
    const expired = client({
      me: vi.fn(async () => {
        throw new SpotifyError('AUTH_EXPIRED', 'x', { status: 401 });
      }),
    });
    const never = new SyncRunner(fakeSession(expired, 'not-connected'));
    await never.sync();
    expect([never.phase, never.line, never.errorCode]).toEqual(['idle', '', 'NOT_CONNECTED']);
    const lapsed = new SyncRunner(fakeSession(expired, 'expired'));
    await lapsed.sync();
    expect(lapsed.phase).toBe('failed');
    expect(lapsed.line).toContain('they last 6 months');
  });

  it('syncs on the online event only after an offline failure (or none yet), not after a success', async () => {
    useDatabase(freshDb());
    let fail = true;
    const c = client({
      me: vi.fn(async () => {
        if (fail) throw new SpotifyError('NETWORK', 'x');
        return { accountId: 'acc', id: 'u', displayName: null, imageUrl: null };
      }),
    });
    const runner = new SyncRunner(fakeSession(c));
    await runner.sync();
    expect(runner.errorCode).toBe('NETWORK');
    fail = false;
    expect(await runner.syncWhenBackOnline()).not.toBeNull();
    expect(runner.phase).toBe('done');
    expect(await runner.syncWhenBackOnline()).toBeNull();
    expect(c.me).toHaveBeenCalledTimes(2);
  });
});
