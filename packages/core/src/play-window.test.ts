import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EARLIEST_PLAY_MS, isPlayTimeInRange, playTimeLimit } from './play-window.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 13, 45, 12);

describe('play window (issue 12: dates no export can hold are refused)', () => {
  it('starts at 2006-01-01T00:00:00Z, the year Spotify was founded', () => {
    expect(EARLIEST_PLAY_MS).toBe(Date.parse('2006-01-01T00:00:00Z'));
    expect(isPlayTimeInRange(EARLIEST_PLAY_MS, NOW)).toBe(true);
    expect(isPlayTimeInRange(EARLIEST_PLAY_MS - 1, NOW)).toBe(false);
    expect(isPlayTimeInRange(0, NOW)).toBe(false);
    expect(isPlayTimeInRange(Date.parse('0000-01-01T00:00:00Z'), NOW)).toBe(false);
  });

  it('ends with tomorrow (UTC): a clock slightly behind loses no play, year 9999 is refused', () => {
    expect(playTimeLimit(NOW)).toBe(Date.UTC(2026, 11, 5));
    expect(isPlayTimeInRange(NOW, NOW)).toBe(true);
    expect(isPlayTimeInRange(Date.UTC(2026, 11, 4, 23, 59, 59, 999), NOW)).toBe(true);
    expect(isPlayTimeInRange(Date.UTC(2026, 11, 5), NOW)).toBe(false);
    expect(isPlayTimeInRange(Date.parse('9999-12-31T23:59:59Z'), NOW)).toBe(false);
  });

  it('refuses what is not a time at all', () => {
    for (const t of [Number.NaN, Infinity, -Infinity])
      expect(isPlayTimeInRange(t, NOW)).toBe(false);
  });

  it('leaves 24 to 48 hours after now, and the limit is a UTC midnight (any now)', () => {
    fc.assert(
      fc.property(fc.integer({ min: EARLIEST_PLAY_MS, max: Date.UTC(2200, 0, 1) }), (now) => {
        const limit = playTimeLimit(now);
        expect(limit - now).toBeGreaterThan(DAY);
        expect(limit - now).toBeLessThanOrEqual(2 * DAY);
        expect(new Date(limit).toISOString()).toMatch(/T00:00:00\.000Z$/);
        expect(isPlayTimeInRange(now, now)).toBe(true);
        expect(isPlayTimeInRange(limit, now)).toBe(false);
        expect(isPlayTimeInRange(limit - 1, now)).toBe(true);
      }),
    );
  });
});
