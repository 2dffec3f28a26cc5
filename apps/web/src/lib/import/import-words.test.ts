import { describe, expect, it } from 'vitest';
import { emptySkips } from '@mtm/core';
import { etaWords, skippedWords } from './import-words';

describe('import words', () => {
  it('lists only the reasons that skipped something, singular or plural', () => {
    expect(skippedWords(emptySkips())).toBeNull();
    expect(skippedWords({ ...emptySkips(), podcast: 1200, video: 1 })).toBe(
      '1,200 podcast episodes, 1 video',
    );
  });

  it('names plays dated before Spotify or in the future (issue 12)', () => {
    expect(skippedWords({ ...emptySkips(), 'out-of-range': 1 })).toBe(
      '1 play with an impossible date',
    );
    expect(skippedWords({ ...emptySkips(), duplicate: 2, 'out-of-range': 3 })).toBe(
      '2 repeated rows, 3 plays with impossible dates',
    );
  });

  it('rounds the time left the way a person would say it', () => {
    expect(etaWords(null)).toBeNull();
    expect(etaWords(3_000)).toBe('A few seconds left');
    expect(etaWords(42_000)).toBe('About 40 seconds left');
    expect(etaWords(80_000)).toBe('About a minute left');
    expect(etaWords(5 * 60_000 + 20_000)).toBe('About 5 minutes left');
  });
});
