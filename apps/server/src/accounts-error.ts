/**
 * What went wrong talking to Spotify's accounts service, reduced to facts
 * that are safe to log. The errors simple-oauth2/wreck throw hold the raw
 * request and response (with the Basic credentials and the token body), so
 * they are never logged, rethrown or kept as `cause`.
 */
export type AccountsErrorCode =
  /** the code or refresh token is dead: ask the user to connect again, never retry */
  | 'INVALID_GRANT'
  /** Spotify refused the request for another reason (client id/secret, redirect URI) */
  | 'REJECTED'
  /** unreachable, timed out, 5xx, or an answer that is not OAuth JSON */
  | 'UPSTREAM';

export class AccountsError extends Error {
  override name = 'AccountsError';
  constructor(
    readonly code: AccountsErrorCode,
    readonly status: number | null,
    readonly oauthError: string | null,
  ) {
    super(
      `Spotify accounts: ${code}${status === null ? '' : ` (HTTP ${status}${oauthError ? ` ${oauthError}` : ''})`}`,
    );
  }
}

interface BoomLike {
  isBoom?: boolean;
  output?: { statusCode?: number };
  data?: { isResponseError?: boolean; payload?: unknown } | null;
}

// OAuth error codes are short ASCII words; anything else is not echoed anywhere.
function oauthErrorOf(payload: unknown): string | null {
  let body = payload;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return null;
    }
  }
  if (body === null || typeof body !== 'object') return null;
  const e = (body as { error?: unknown }).error;
  return typeof e === 'string' && /^[a-z_]{1,40}$/.test(e) ? e : null;
}

export function toAccountsError(err: unknown): AccountsError {
  if (err instanceof AccountsError) return err;
  const b = (err ?? {}) as BoomLike;
  if (b.data?.isResponseError === true) {
    const status = b.output?.statusCode ?? null;
    const oauthError = oauthErrorOf(b.data.payload);
    if (status === 400 && oauthError === 'invalid_grant')
      return new AccountsError('INVALID_GRANT', status, oauthError);
    if (status !== null && status >= 400 && status < 500 && status !== 429)
      return new AccountsError('REJECTED', status, oauthError);
    return new AccountsError('UPSTREAM', status, oauthError);
  }
  return new AccountsError('UPSTREAM', null, null);
}
