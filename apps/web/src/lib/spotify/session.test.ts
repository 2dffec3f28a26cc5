import { describe, expect, it, vi } from 'vitest';
import { freshDb } from '../db/test-db';
import { rememberAccount, switchAccount } from '../db/accounts';
import { Session } from './session.svelte';

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
