import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '../db/test-db';
import { rememberAccount, switchAccount } from '../db/accounts';
import { demoHint, Session } from './session.svelte';

const profile = (accountId: string) => ({
  accountId,
  displayName: accountId.toUpperCase(),
  imageUrl: null,
});

describe('Session.deleteLocalData', () => {
  it('shows another diary of the device after deleting the one shown', async () => {
    const db = freshDb();
    await rememberAccount(db, profile('ana'), 1);
    await rememberAccount(db, profile('ben'), 2);
    await switchAccount(db, 'ben');
    const fetchImpl = vi.fn(async () => new Response(null, { status: 204 }));
    const s = new Session(() => db, fetchImpl as unknown as typeof fetch);
    await s.refreshAccounts();
    expect(s.accountId).toBe('ben');

    await s.deleteLocalData('ben');
    expect(s.accounts.map((a) => a.accountId)).toEqual(['ana']);
    expect(s.accountId).toBe('ana');
    expect(s.account?.displayName).toBe('ANA');
  });

  it('shows no diary once the last one is deleted', async () => {
    const db = freshDb();
    await rememberAccount(db, profile('ana'), 1);
    const s = new Session(
      () => db,
      (async () => new Response(null, { status: 204 })) as unknown as typeof fetch,
    );
    await s.refreshAccounts();
    await s.deleteLocalData('ana');
    expect(s.accounts).toEqual([]);
    expect(s.accountId).toBeNull();
  });
});

describe('Session.client().me', () => {
  /** A server and a Spotify in one fetch: counts each GET /me. */
  function world() {
    const calls = { me: 0 };
    const answer = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json' },
      });
    const appFetch = (async (input: RequestInfo | URL) => {
      const url = String(input);
      if (url === '/api/config')
        return answer({
          demo: true,
          apiBaseUrl: 'http://spotify.test/v1',
          featuresBaseUrl: null,
          spotifyAudioFeatures: false,
          imageOrigins: [],
        });
      if (url === '/auth/token')
        return answer({ connected: true, accessToken: 'tok', expiresAt: Date.now() + 3_600_000 });
      return answer({}, 404);
    }) as typeof fetch;
    let failNext = false;
    const spotifyFetch = vi.fn(async (input: RequestInfo | URL) => {
      if (String(input) !== 'http://spotify.test/v1/me') return answer({}, 404);
      calls.me += 1;
      await new Promise((r) => setTimeout(r, 5));
      if (failNext) {
        failNext = false;
        return answer({ error: { status: 400, message: 'bad' } }, 400);
      }
      return answer({ id: 'ana', display_name: 'Ana', images: [] });
    });
    vi.stubGlobal('fetch', spotifyFetch);
    return { calls, appFetch, failOnce: () => (failNext = true) };
  }

  it('asks Spotify once when the sync and the device sync both ask as the page opens', async () => {
    const w = world();
    try {
      const s = new Session(() => freshDb(), w.appFetch);
      await s.start();
      const client = s.client()!;
      const [profile, connected] = await Promise.all([client.me(), s.connectedAccount()]);
      expect(profile.accountId).toBe('ana');
      expect(connected).toBe('ana');
      expect(await s.connectedAccount()).toBe('ana');
      expect(w.calls.me).toBe(1);
      expect(s.connection).toBe('connected');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('an answer asked for before a disconnect does not make the page connected again', async () => {
    const w = world();
    try {
      const s = new Session(() => freshDb(), w.appFetch);
      await s.start();
      const asked = s.client()!.me();
      const generation = s.generation;
      await s.disconnect();
      expect((await asked).accountId).toBe('ana');
      expect(s.connection).toBe('not-connected');
      // a sync that started before the disconnect finishes after it
      s.markConnected('ana', generation);
      expect(s.connection).toBe('not-connected');
      // a new question is asked again, and its answer counts
      await s.client()!.me();
      expect(w.calls.me).toBe(2);
      expect(s.connection).toBe('connected');
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('asks again after a failure, and after disconnecting', async () => {
    const w = world();
    try {
      const s = new Session(() => freshDb(), w.appFetch);
      await s.start();
      w.failOnce();
      await expect(s.client()!.me()).rejects.toThrow();
      expect((await s.client()!.me()).accountId).toBe('ana');
      expect(w.calls.me).toBe(2);
      await s.disconnect();
      await s.client()!.me();
      expect(w.calls.me).toBe(3);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

describe('demoHint', () => {
  it("reads the server's demo hint among other cookies, and nothing else as it", () => {
    expect(demoHint('mtm-demo=1')).toBe(true);
    expect(demoHint('a=b; mtm-demo=1; c=d')).toBe(true);
    expect(demoHint('')).toBe(false);
    expect(demoHint('mtm-demo=')).toBe(false);
    expect(demoHint('xmtm-demo=1')).toBe(false);
    expect(demoHint('a=mtm-demo=1')).toBe(false);
  });
});

describe('Session.hasDiary', () => {
  const noFetch = (async () => new Response(null, { status: 204 })) as unknown as typeof fetch;
  const memoryHints = () => {
    const m = new Map<string, string>();
    return {
      getItem: (k: string) => m.get(k) ?? null,
      setItem: (k: string, v: string) => void m.set(k, v),
      removeItem: (k: string) => void m.delete(k),
    };
  };

  it('before the diary is read, says what the last page found; after, what is there', async () => {
    const hints = memoryHints();
    const db = freshDb();
    // a first visit: nothing known, no room held
    const first = new Session(() => db, noFetch, hints);
    expect(first.hasDiary).toBe(false);
    await rememberAccount(db, profile('ana'), 1);
    await first.refreshAccounts();
    await first.start();
    expect(first.hasDiary).toBe(true);

    // the next page, before IndexedDB has answered
    const next = new Session(() => db, noFetch, hints);
    expect(next.hasDiary).toBe(true);
    // the diary was deleted meanwhile (another tab): once read, the hint follows
    await db.delete();
    const empty = freshDb();
    const after = new Session(() => empty, noFetch, hints);
    expect(after.hasDiary).toBe(true);
    await after.start();
    expect(after.hasDiary).toBe(false);
    expect(new Session(() => empty, noFetch, hints).hasDiary).toBe(false);
  });

  it('a storage that refuses leaves no hint and breaks nothing', async () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const db = freshDb();
    await rememberAccount(db, profile('ana'), 1);
    const s = new Session(() => db, noFetch, refusing);
    expect(s.hasDiary).toBe(false);
    await s.start();
    expect(s.hasDiary).toBe(true);
  });
});
