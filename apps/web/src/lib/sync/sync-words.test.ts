import { describe, expect, it } from 'vitest';
import { progressWords, resultWords } from './sync-runner.svelte';

describe('sync words', () => {
  it('counts snapshot progress from 1, as a person reads it', () => {
    expect(progressWords({ step: 'snapshots', done: 1, total: 3 })).toBe(
      'Saving your top tracks … 2 of 3',
    );
    expect(progressWords({ step: 'snapshots', done: 3, total: 3 })).toBe(
      'Saving your top tracks … 3 of 3',
    );
  });
  it('says until when a rate limit pauses the sync', () => {
    const until = new Date(2026, 0, 1, 14, 32).getTime();
    expect(progressWords({ step: 'paused', until })).toContain('Paused until 14:32');
  });
  it('summarises what a sync added and what mood data is missing', () => {
    const base = {
      accountId: 'a',
      snapshotsTaken: [],
      newPlays: 0,
      featuresFetched: 0,
      featuresMissing: 0,
      featuresUnavailable: false,
    };
    expect(resultWords(base)).toBe('Your diary is up to date.');
    expect(resultWords({ ...base, snapshotsTaken: ['short_term'], newPlays: 1 })).toBe(
      'Diary updated: saved your top tracks and added 1 recent play.',
    );
    expect(resultWords({ ...base, featuresMissing: 4 })).toContain(
      '4 tracks have no mood data yet.',
    );
    expect(resultWords({ ...base, featuresUnavailable: true })).toContain('using another source');
  });
});
