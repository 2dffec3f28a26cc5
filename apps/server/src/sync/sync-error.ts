/**
 * Every refusal of the sync relay, with a stable `code` the client chooses its
 * words from, the HTTP status, and a plain sentence for logs and developers.
 * `details` are numbers a client can act on (quota, limits, a wait); nothing
 * here ever holds a record body, a cookie or a token.
 */
export type SyncErrorCode =
  /** no session cookie: connect Spotify first */
  | 'NOT_CONNECTED'
  /** a cookie no configured SESSION_KEY opens (tampered, or sealed under a retired key) */
  | 'SESSION_INVALID'
  /** the connection is older than a refresh token lives: connect again */
  | 'AUTH_EXPIRED'
  /** a session sealed before the server learned account ids: connect again to sync */
  | 'RECONNECT_FOR_SYNC'
  | 'SYNC_BAD_REQUEST'
  | 'SYNC_BODY_TOO_LARGE'
  | 'SYNC_QUOTA_FULL'
  | 'SYNC_RATE_LIMITED'
  /** the storage (PostgreSQL) did not answer: nothing was changed, try again */
  | 'SYNC_UNAVAILABLE';

export type SyncErrorDetails = Record<string, number | string | null>;

export class SyncError extends Error {
  override name = 'SyncError';
  constructor(
    readonly code: SyncErrorCode,
    readonly status: number,
    message: string,
    readonly details: SyncErrorDetails = {},
  ) {
    super(message);
  }

  /** The response body: the code, the sentence, and the details beside them. */
  toBody(): { code: SyncErrorCode; message: string } & SyncErrorDetails {
    return { ...this.details, code: this.code, message: this.message };
  }
}

export function badRequest(message: string): SyncError {
  return new SyncError('SYNC_BAD_REQUEST', 400, message);
}
