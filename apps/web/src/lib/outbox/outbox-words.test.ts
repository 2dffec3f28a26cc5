import { describe, expect, it } from 'vitest';
import { RESTORED_FROM_BACKUP } from '../backup/restored-push';
import { describeEntry } from './outbox-words';
import type { OutboxEntry } from './outbox-entry';

const base: OutboxEntry = {
  id: 'e',
  accountId: 'a',
  createdAt: 0,
  updatedAt: 0,
  state: 'pending',
  name: 'n',
  description: 'd',
  uris: ['spotify:track:a', 'spotify:track:b', 'spotify:track:c'],
  playlistId: null,
  playlistUrl: null,
  addedCount: 0,
  attempts: 0,
  lastError: null,
};

describe('describeEntry', () => {
  it('says a queued push waits for the network when offline', () => {
    expect(describeEntry(base, false).status).toMatch(/offline.*sent when you're back online/);
    expect(describeEntry(base, true).status).toBe('Waiting to be sent.');
  });

  it('names the time a rate-limited push continues', () => {
    const e = {
      ...base,
      state: 'failed' as const,
      lastError: { code: 'RATE_LIMITED', message: 'x', retryAt: Date.UTC(2026, 0, 1, 14, 32) },
    };
    expect(describeEntry(e, true, 'UTC')).toMatchObject({
      status: 'Spotify asked us to slow down. Continuing at 14:32.',
      tone: 'wait',
    });
  });

  it('asks to reconnect when the connection expired, and keeps the diary safe', () => {
    const e = {
      ...base,
      state: 'failed' as const,
      lastError: { code: 'AUTH_EXPIRED', message: 'x', retryAt: null },
    };
    expect(describeEntry(e, true)).toMatchObject({ action: 'reconnect', tone: 'error' });
    expect(describeEntry(e, true).status).toMatch(/diary is safe/);
  });

  it('shows progress while adding and the count when done', () => {
    expect(describeEntry({ ...base, state: 'adding', addedCount: 2 }, true).status).toBe(
      'Adding tracks... 2 of 3',
    );
    expect(describeEntry({ ...base, state: 'done', addedCount: 3 }, true)).toMatchObject({
      status: 'On Spotify: 3 tracks.',
      action: 'open',
    });
  });

  it('offers Retry for an unknown failure', () => {
    const e = {
      ...base,
      state: 'failed' as const,
      lastError: { code: 'UNKNOWN', message: 'x', retryAt: null },
    };
    expect(describeEntry(e, true).action).toBe('retry');
  });

  it('issue 12: says a push restored from a backup waits for Retry, online or not', () => {
    const e = {
      ...base,
      state: 'failed' as const,
      lastError: { code: RESTORED_FROM_BACKUP, message: 'x', retryAt: null },
    };
    for (const online of [true, false])
      expect(describeEntry(e, online)).toEqual({
        status: 'Restored from a backup: tap Retry to send it.',
        action: 'retry',
        tone: 'wait',
      });
  });
});
