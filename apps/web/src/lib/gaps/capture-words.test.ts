import { describe, expect, it } from 'vitest';
import { gapWords, gapsWithin, openEveryWords, roughPlays } from './capture-words';

const T = Date.UTC(2026, 11, 3, 10, 2);
const gap = (closed: boolean, estimate: number | null) => ({
  from: T,
  to: T + 3 * 86_400_000,
  foundAt: T + 3 * 86_400_000,
  estimate,
  closed,
});

describe('capture words (issue 14)', () => {
  it('an open gap names its bounds in words, the rough count missing, and that counts are partial', () => {
    expect(gapWords(gap(false, 243), 'UTC')).toBe(
      'Not captured from 3 December 2026 at 10:02 to 6 December 2026 at 10:02. About 240 plays are missing, so the counts for these days are partial.',
    );
    expect(gapWords(gap(false, null), 'UTC')).toMatch(/Some plays are missing/);
  });
  it('a closed gap says the days now come from the export', () => {
    expect(gapWords(gap(true, 243), 'UTC')).toMatch(/now come from your Spotify export\.$/);
  });
  it('rough counts stay rough', () => {
    expect([roughPlays(0), roughPlays(7), roughPlays(43), roughPlays(1234)]).toEqual([
      'probably no plays',
      'about 7 plays',
      'about 45 plays',
      'about 1230 plays',
    ]);
  });
  it("says how often to open the app from the person's own rate", () => {
    expect(openEveryWords(100)).toMatch(
      /about 12 hours of your listening: open the app at least every 12 hours/,
    );
    expect(openEveryWords(10)).toMatch(/about 5 days .* every 5 days/);
    expect(openEveryWords(0)).toMatch(/once a day/);
  });
  it('a period shows the gaps that overlap it', () => {
    expect(gapsWithin([gap(false, 1)], T + 86_400_000, T + 2 * 86_400_000)).toHaveLength(1);
    expect(gapsWithin([gap(false, 1)], T + 4 * 86_400_000, T + 5 * 86_400_000)).toHaveLength(0);
  });
});
