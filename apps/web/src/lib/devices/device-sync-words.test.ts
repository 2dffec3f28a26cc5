import { describe, expect, it } from 'vitest';
import { syncWordsFor, wordsFor, type DeviceSyncCode } from '../ui/error-words';
import { duration, lastSyncWords, progressWords } from './device-sync-words';

const CODES: DeviceSyncCode[] = [
  'SYNC_KEY_TYPO',
  'SYNC_WRONG_KEY',
  'SYNC_TAMPERED',
  'SYNC_UPDATE_APP',
  'SYNC_KEY_CHANGED',
  'SYNC_NOTHING_TO_JOIN',
  'SYNC_ALREADY_ON',
  'SYNC_OTHER_ACCOUNT',
  'RECONNECT_FOR_SYNC',
  'SYNC_QUOTA_FULL',
  'SYNC_BODY_TOO_LARGE',
  'SYNC_RATE_LIMITED',
  'SYNC_UNAVAILABLE',
  'SYNC_BAD_REQUEST',
];

describe('device sync words', () => {
  it('every sync failure has its own words, never the Spotify catch-all', () => {
    const fallback = wordsFor('UNKNOWN').text;
    for (const code of CODES) expect(syncWordsFor(code).text).not.toBe(fallback);
    expect(new Set(CODES.map((c) => syncWordsFor(c).text)).size).toBe(CODES.length);
  });

  it('offline says the diary is kept and when the next try is', () => {
    const at = Date.UTC(2026, 5, 1, 14, 32);
    const text = syncWordsFor('NETWORK', { retryAt: at }).text;
    expect(text).toMatch(/stays on this device/);
    expect(text).toMatch(/Trying again at \d\d:\d\d/);
  });

  it('progress of a first download has a share and an estimate', () => {
    expect(
      progressWords({
        step: 'receiving',
        done: 10,
        bytes: 250,
        totalBytes: 1000,
        remainingMs: 12_400,
      }),
    ).toBe('Receiving your diary … 25%, about 12 s left');
    expect(duration(200_000)).toBe('about 3 min');
  });

  it('the last run says what it moved', () => {
    const base = {
      at: Date.UTC(2026, 5, 1, 9, 5),
      received: 0,
      plays: 0,
      snapshots: 0,
      sent: 0,
      bytesIn: 0,
      bytesOut: 0,
    };
    expect(lastSyncWords({ ...base, received: 2, plays: 120, snapshots: 1, sent: 1 }, 'UTC')).toBe(
      'Synced at 09:05: 120 plays and 1 snapshot arrived; sent 1 update.',
    );
    expect(lastSyncWords(base, 'UTC')).toBe('Synced at 09:05: everything was already in step.');
  });
});
