import { monthKey, monthOf } from '@mtm/core';
import { deviceTimeZone } from '../db/settings';

/** `YYYY-MM` of now in the device's zone. */
export function currentMonthKey(now = Date.now(), zone = deviceTimeZone()): string {
  const m = monthOf(zone, now);
  return monthKey(m.year, m.month);
}
