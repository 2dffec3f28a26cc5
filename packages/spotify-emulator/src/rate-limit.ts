// Spotify's rate limit: a rolling 30-second window per app, numbers
// unpublished. Off unless configured; when on, a client over the limit gets
// 429 with a Retry-After that is exactly when its oldest counted call leaves
// the window, so a client that honours it never hits the limit twice in a row.

export interface RateLimitSettings {
  /** Requests allowed per window and per client id. */
  limit: number;
  /** Default 30,000 (Spotify's rolling window). */
  windowMs?: number;
}

export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly calls = new Map<string, number[]>();

  constructor(s: RateLimitSettings) {
    if (!Number.isInteger(s.limit) || s.limit < 1)
      throw new RangeError('rateLimit.limit must be a positive integer');
    const windowMs = s.windowMs ?? 30_000;
    if (!(windowMs > 0)) throw new RangeError('rateLimit.windowMs must be positive');
    this.limit = s.limit;
    this.windowMs = windowMs;
  }

  /** Records a call, or returns the seconds to wait when the window is full. */
  take(clientId: string, now: number): { allowed: true } | { allowed: false; retryAfterS: number } {
    const since = now - this.windowMs;
    const calls = (this.calls.get(clientId) ?? []).filter((t) => t > since);
    if (calls.length >= this.limit) {
      this.calls.set(clientId, calls);
      const oldest = calls[0] as number;
      return {
        allowed: false,
        retryAfterS: Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000)),
      };
    }
    calls.push(now);
    this.calls.set(clientId, calls);
    return { allowed: true };
  }
}
