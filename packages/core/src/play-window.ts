// When a play can have happened: the window an end time read from outside
// data must fall in before it becomes a play (issue 12: a play dated in year
// 9999 became a diary month).
//
// The floor is 2006-01-01T00:00:00Z: Spotify was founded in 2006 (and opened
// to the public in October 2008), so no genuine history starts earlier, while
// a year 0 or a zero timestamp (1970) is refused.
// The ceiling is the end of tomorrow, in UTC, as seen from `now`, not `now`
// itself: a device whose clock is slightly behind, or that is set to the
// wrong time zone, reports a `now` some hours before the moment a play was
// really dated, and a ceiling at `now` would drop the last plays of a fresh
// export. The day after tomorrow starts 24 to 48 hours ahead, enough for any
// of that, and still far short of a year 9999.
// Core has no clock: `now` (ms since epoch) always comes from the caller.

const DAY_MS = 86_400_000;

/** 2006-01-01T00:00:00Z: the earliest end time a play may have. */
export const EARLIEST_PLAY_MS = Date.UTC(2006, 0, 1);

/** The first moment no play may end at: 00:00 UTC of the day after tomorrow, seen from `now`. */
export function playTimeLimit(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + 2 * DAY_MS;
}

/** Whether a play may have ended at `playedAt` when it is `now`. */
export function isPlayTimeInRange(playedAt: number, now: number): boolean {
  return playedAt >= EARLIEST_PLAY_MS && playedAt < playTimeLimit(now);
}
