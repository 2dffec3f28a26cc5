import { describe, expect, it } from 'vitest';
import { emptySkips } from '@mtm/core';
import { archiveRefusedWords, bytesWords, etaWords, skippedWords } from './import-words';
import { ZipError } from './zip-entries';

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

  it('says sizes the way a phone shows them', () => {
    expect(bytesWords(1)).toBe('1 byte');
    expect(bytesWords(512)).toBe('512 bytes');
    expect(bytesWords(12_400_000)).toBe('12.4 MB');
    expect(bytesWords(12_345_678)).toBe('12.3 MB');
    expect(bytesWords(100_000_000)).toBe('100 MB');
    expect(bytesWords(2_000_000_000)).toBe('2 GB');
    expect(bytesWords(1_500)).toBe('1.5 KB');
  });

  it('issue 12: an archive with too many files says how many it read', () => {
    expect(archiveRefusedWords('my_spotify_data.zip', new ZipError('too-many', null, 5_000))).toBe(
      'my_spotify_data.zip holds more than 5,000 files, which no Spotify export does, so reading stopped there: nothing after the first 5,000 is in your diary.',
    );
  });
});
