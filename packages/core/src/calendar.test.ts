import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  monthLabel,
  monthLocator,
  monthOf,
  monthStart,
  monthsBetween,
  shortMonthLabel,
} from './calendar.js';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Pacific/Chatham',
  'UTC',
];

describe('monthStart', () => {
  it('is local midnight on the 1st, with the offset in force at that moment', () => {
    // Berlin is UTC+1 in March and UTC+2 from the last Sunday of March.
    expect(monthStart('Europe/Berlin', 2024, 3)).toBe(Date.UTC(2024, 1, 29, 23));
    expect(monthStart('Europe/Berlin', 2024, 4)).toBe(Date.UTC(2024, 2, 31, 22));
    // Sydney is UTC+11 in summer (October to April), UTC+10 in winter.
    expect(monthStart('Australia/Sydney', 2024, 4)).toBe(Date.UTC(2024, 2, 31, 13));
    expect(monthStart('Australia/Sydney', 2024, 5)).toBe(Date.UTC(2024, 3, 30, 14));
    expect(monthStart('America/New_York', 2024, 11)).toBe(Date.UTC(2024, 10, 1, 4));
    expect(monthStart('America/New_York', 2024, 12)).toBe(Date.UTC(2024, 11, 1, 5));
  });

  it('starts a month at the first instant that exists when local midnight is skipped', () => {
    // Paraguay moved clocks from 00:00 (UTC-4) to 01:00 (UTC-3) on Sunday 1 October 2023:
    // October began at 01:00 local, 04:00 UTC.
    const start = monthStart('America/Asuncion', 2023, 10);
    expect(start).toBe(Date.UTC(2023, 9, 1, 4));
    expect(monthOf('America/Asuncion', start)).toEqual({ year: 2023, month: 10 });
    expect(monthOf('America/Asuncion', start - 1)).toEqual({ year: 2023, month: 9 });
  });

  it('rejects an unknown zone', () => {
    expect(() => monthStart('Mars/Olympus', 2024, 1)).toThrow(RangeError);
  });
});

describe('monthLocator', () => {
  it('agrees with Intl for any instant, in any zone, sorted or not', () => {
    const from = Date.UTC(2015, 0, 1);
    const to = Date.UTC(2026, 0, 1);
    for (const zone of ZONES) {
      const months = monthsBetween(zone, from, to);
      const locate = monthLocator(months);
      fc.assert(
        fc.property(
          fc.array(fc.integer({ min: from, max: to }), { minLength: 1, maxLength: 30 }),
          (ts) => {
            for (const t of ts) {
              const m = months[locate(t)];
              expect(m && { year: m.year, month: m.month }).toEqual(monthOf(zone, t));
            }
          },
        ),
        { numRuns: 40 },
      );
    }
  });

  it('puts the instant of a month start in the new month and the ms before it in the old one', () => {
    const months = monthsBetween('Europe/Berlin', Date.UTC(2024, 0, 15), Date.UTC(2024, 5, 15));
    const locate = monthLocator(months);
    const april = months.findIndex((m) => m.key === '2024-04');
    expect(locate(months[april]!.start)).toBe(april);
    expect(locate(months[april]!.start - 1)).toBe(april - 1);
    expect(locate(months[0]!.start - 1)).toBe(-1);
    expect(locate(months[months.length - 1]!.end)).toBe(-1);
  });

  it('answers -1 for an empty grid', () => {
    expect(monthLocator([])(0)).toBe(-1);
  });
});

describe('labels', () => {
  it('names months in English', () => {
    expect(monthLabel({ year: 2024, month: 3 })).toBe('March 2024');
    expect(shortMonthLabel({ year: 2023, month: 9 })).toBe('Sep 2023');
  });
});
