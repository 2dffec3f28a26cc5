// One error class for everything the client can fail with. Callers (the sync
// engine, the UI) branch on `code`, never on `message`: the words a person sees
// are chosen in the UI from the code.

export type SpotifyErrorCode =
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'AUTH_EXPIRED'
  | 'NOT_ALLOWLISTED'
  | 'INSUFFICIENT_SCOPE'
  | 'FEATURES_UNAVAILABLE'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'UPSTREAM'
  | 'NETWORK'
  | 'ABORTED';

export interface SpotifyErrorInit {
  status?: number | null;
  retryAfterMs?: number | null;
  retryAt?: number | null;
  cause?: unknown;
  /** The operation (OpenAPI operation id) that failed, when there was one. */
  operation?: string | null;
}

export class SpotifyError extends Error {
  override readonly name = 'SpotifyError';
  readonly code: SpotifyErrorCode;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  /** Absolute time (ms, from the client's injected clock) after which a retry may succeed. */
  readonly retryAt: number | null;
  readonly operation: string | null;
  declare cause?: unknown;

  constructor(code: SpotifyErrorCode, message: string, init: SpotifyErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.retryAt = init.retryAt ?? null;
    this.operation = init.operation ?? null;
  }

  /** Logged and serialised without `cause`: a cause from a fetch implementation is not ours to vet. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      retryAt: this.retryAt,
      operation: this.operation,
    };
  }
}

export function isSpotifyError(e: unknown, code?: SpotifyErrorCode): e is SpotifyError {
  return e instanceof SpotifyError && (code === undefined || e.code === code);
}

/**
 * True when a failed write may or may not have reached Spotify: a 5xx can be
 * sent after the change was applied, and a dropped connection says nothing.
 * Such a write must be checked (re-read), never blindly repeated.
 */
export function isAmbiguous(e: unknown): boolean {
  return e instanceof SpotifyError && (e.code === 'UPSTREAM' || e.code === 'NETWORK');
}

/** Replaces every occurrence of the given secrets. Used on any text that came from outside. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('[redacted]');
  }
  return out;
}
