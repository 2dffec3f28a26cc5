import { describe, expect, it } from 'vitest';
import { freshDb } from '../db/test-db';
import { addSnapshots } from '../db/snapshots';
import type { Session } from '../spotify/session.svelte';
import type { SyncResult, SyncRunner } from '../sync';
import { GemsStore } from '../gems/gems-store.svelte';
import { AppContext } from './app-context.svelte';
import { AccountStore } from './account-store.svelte';

/** The two things the context reads from the session, as state a test can move. */
class FakeSession {
  ready = $state(false);
  accountId = $state<string | null>(null);
  start = async () => undefined;
}

class FakeSync {
  listeners: ((r: SyncResult) => void)[] = [];
  onFinished(l: (r: SyncResult) => void) {
    this.listeners.push(l);
    return () => undefined;
  }
  finish() {
    for (const l of this.listeners) l({} as SyncResult);
  }
}

function setup() {
  const session = new FakeSession();
  const sync = new FakeSync();
  const db = freshDb();
  const ctx = new AppContext(
    session as unknown as Session,
    sync as unknown as SyncRunner,
    () => db,
  );
  return { session, sync, db, ctx };
}

/** A store that records what it was asked to read, and answers when told. */
class Recorder extends AccountStore<string> {
  asked: string[] = [];
  pending: ((v: string) => void)[] = [];
  protected read({ accountId, revision }: { accountId: string; revision: number }) {
    this.asked.push(`${accountId}@${revision}`);
    return new Promise<string>((resolve) => this.pending.push(resolve));
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('AppContext', () => {
  it('has no scope until the session is ready and a diary is shown', () => {
    const { session, ctx } = setup();
    expect(ctx.scope).toBeNull();
    session.accountId = 'a';
    expect(ctx.scope).toBeNull();
    session.ready = true;
    expect(ctx.scope).toMatchObject({ accountId: 'a' });
  });

  it('moves the revision on a finished sync, the explicit signal stores follow', () => {
    const { session, sync, ctx } = setup();
    session.ready = true;
    session.accountId = 'a';
    const before = ctx.scope!.revision;
    sync.finish();
    expect(ctx.scope!.revision).not.toBe(before);
    const afterSync = ctx.scope!.revision;
    ctx.dataChanged();
    expect(ctx.scope!.revision).not.toBe(afterSync);
  });
});

describe('AccountStore', () => {
  it('reads for the account and revision of the scope it is given, and clears data on an account switch', async () => {
    const { session, sync, ctx } = setup();
    const store = new Recorder(ctx);
    session.ready = true;
    session.accountId = 'a';
    const first = store.load(ctx.scope, undefined);
    store.pending.shift()!('A0');
    await first;
    expect([store.status, store.data]).toEqual(['ready', 'A0']);

    sync.finish();
    void store.load(ctx.scope, undefined);
    expect(store.asked).toEqual(['a@0', 'a@1']);
    // a refresh of the same diary keeps showing the old data meanwhile
    expect(store.data).toBe('A0');

    session.accountId = 'b';
    void store.load(ctx.scope, undefined);
    expect(store.asked.at(-1)).toBe('b@1');
    // another account's diary never shows the previous one's data
    expect([store.status, store.data]).toEqual(['loading', null]);
  });

  it('lets only the newest read write: a slow read for the previous account is dropped', async () => {
    const { session, ctx } = setup();
    const store = new Recorder(ctx);
    session.ready = true;
    session.accountId = 'a';
    void store.load(ctx.scope, undefined);
    session.accountId = 'b';
    void store.load(ctx.scope, undefined);
    const [slowA, fastB] = store.pending;
    fastB!('B');
    await settle();
    slowA!('A');
    await settle();
    expect(store.data).toBe('B');
  });

  it('is busy while the data shown (an early, cached answer or the previous one) awaits the read that replaces it', async () => {
    const { session, sync, ctx } = setup();
    /** Shows a cached answer at once, then the checked one when told (TimelineStore's way). */
    class Early extends AccountStore<string> {
      pending: ((v: string) => void)[] = [];
      protected read(_: unknown, __: void, showEarly: (v: string) => void) {
        showEarly('cached');
        return new Promise<string>((resolve) => this.pending.push(resolve));
      }
    }
    const store = new Early(ctx);
    expect(store.busy).toBe(false);
    session.ready = true;
    session.accountId = 'a';
    const first = store.load(ctx.scope, undefined);
    // the cached answer is on screen, but not yet checked
    expect([store.data, store.busy]).toEqual(['cached', true]);
    store.pending.shift()!('checked');
    await first;
    expect([store.data, store.busy]).toEqual(['checked', false]);

    // a finished sync: the same diary is read again, the old answer shown meanwhile
    sync.finish();
    const second = store.load(ctx.scope, undefined);
    expect(store.busy).toBe(true);
    // and a newer read supersedes it: the older one ending does not clear busy
    sync.finish();
    const third = store.load(ctx.scope, undefined);
    const [older, newer] = store.pending;
    older!('stale');
    await second;
    expect(store.busy).toBe(true);
    newer!('fresh');
    await third;
    expect([store.data, store.busy]).toEqual(['fresh', false]);
  });

  it('is not busy once a read failed, nor when no diary is shown', async () => {
    const { session, ctx } = setup();
    class Failing extends AccountStore<string> {
      protected read(): Promise<string> {
        return Promise.reject(new Error('IndexedDB refused'));
      }
    }
    const failing = new Failing(ctx);
    session.ready = true;
    session.accountId = 'a';
    const load = failing.load(ctx.scope, undefined);
    expect(failing.busy).toBe(true);
    await load;
    expect([failing.status, failing.busy]).toEqual(['error', false]);

    const store = new Recorder(ctx);
    void store.load(ctx.scope, undefined);
    expect(store.busy).toBe(true);
    // the account is disconnected while the read is under way: nothing is shown, nothing awaited
    session.accountId = null;
    await store.load(ctx.scope, undefined);
    expect([store.status, store.busy]).toEqual(['none', false]);
  });

  it('says none when no diary is shown, and error when the read fails', async () => {
    const { session, ctx } = setup();
    const store = new Recorder(ctx);
    session.ready = true;
    await store.load(ctx.scope, undefined);
    expect(store.status).toBe('none');
    class Failing extends AccountStore<string> {
      protected read(): Promise<string> {
        return Promise.reject(new Error('IndexedDB refused'));
      }
    }
    const failing = new Failing(ctx);
    session.accountId = 'a';
    await failing.load(ctx.scope, undefined);
    expect(failing.status).toBe('error');
  });

  it('gives a real feature store the data a sync wrote once the sync signals (regression, issue 11: gems did not reload)', async () => {
    const { session, sync, db, ctx } = setup();
    const store = new GemsStore(ctx, () => Date.UTC(2026, 10, 1));
    session.ready = true;
    session.accountId = 'acc';
    const before = ctx.scope;
    await store.load(before, undefined);
    expect(store.data!.captures).toBe(0);
    await addSnapshots(db, [
      {
        id: 's',
        accountId: 'acc',
        takenAt: Date.UTC(2026, 9, 30),
        range: 'long_term',
        trackIds: ['t'],
      },
    ]);
    sync.finish();
    // what follow()'s effect compares: a new scope, so the store reads again
    expect(ctx.scope).not.toEqual(before);
    await store.load(ctx.scope, undefined);
    expect(store.data!.captures).toBe(1);
  });
});
