export interface Clock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

/**
 * The emulator's own time. It moves with the wall clock from where it was last
 * set, so tokens expire naturally in a long demo, and tests can jump months
 * ahead (refresh-token lifetime, taste drift) without waiting.
 */
export function createClock(start: number, wall: () => number = Date.now): Clock {
  let offset = start - wall();
  return {
    now: () => wall() + offset,
    set(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('clock.set needs a finite ms epoch');
      offset = ms - wall();
    },
    advance(ms) {
      if (!Number.isFinite(ms)) throw new RangeError('clock.advance needs a finite number of ms');
      offset += ms;
    },
  };
}
