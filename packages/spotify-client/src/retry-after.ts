/**
 * Milliseconds to wait from `now`, from a `Retry-After` header given either as
 * delay-seconds or as an HTTP date (RFC 9110 §10.2.3). Null when absent or
 * unreadable; never negative (a date in the past means "now").
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const v = value.trim();
  if (v === '') return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.ceil(Number(v) * 1000);
  // Date.parse reads "-3" as a year: an HTTP date always names its weekday or month.
  if (!/[a-z]/i.test(v)) return null;
  const at = Date.parse(v);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}
