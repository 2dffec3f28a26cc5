import type { SpotifyErrorCode } from './errors.js';

export interface ErrorBody {
  message: string | null;
  reason: string | null;
}

/**
 * Reads Spotify's error body `{"error":{"status","message","reason"?}}`. The
 * accounts service and third parties answer `{"error":"...","error_description"}`
 * or `{"message"}`; those are read too so a message is never lost.
 */
export function readErrorBody(text: string): ErrorBody {
  try {
    const j: unknown = JSON.parse(text);
    if (j && typeof j === 'object') {
      const o = j as Record<string, unknown>;
      const e = o['error'];
      if (e && typeof e === 'object') {
        const eo = e as Record<string, unknown>;
        return { message: str(eo['message']), reason: str(eo['reason']) };
      }
      return {
        message: str(o['error_description']) ?? str(e) ?? str(o['message']),
        reason: str(o['reason']),
      };
    }
  } catch {
    // not JSON: keep a short prefix of the text as the message
  }
  const t = text.trim().slice(0, 200);
  return { message: t === '' ? null : t, reason: null };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

// Spotify words the development-mode allow-list refusal as "Check settings on
// developer.spotify.com/dashboard, the user may not be registered." (and older
// variants "User not registered in the Developer Dashboard").
const NOT_ALLOWLISTED =
  /not (be )?registered|allow-?list|developer\.spotify\.com|developer dashboard/i;
const SCOPE = /scope/i;

/**
 * The code for a final (non-retried) error answer. A 403 that names neither the
 * allow-list nor a scope (say, adding to a playlist someone else owns) is
 * BAD_REQUEST with status 403: reconnecting would not help, the request itself
 * is not allowed. Audio-feature 403s never get here: their caller reads them as
 * "source unavailable".
 */
export function classifyStatus(status: number, body: ErrorBody): SpotifyErrorCode {
  if (status === 401) return 'AUTH_EXPIRED';
  if (status === 403) {
    const m = body.message ?? '';
    if (NOT_ALLOWLISTED.test(m)) return 'NOT_ALLOWLISTED';
    if (SCOPE.test(m)) return 'INSUFFICIENT_SCOPE';
    return 'BAD_REQUEST';
  }
  if (status === 404) return 'NOT_FOUND';
  if (status === 429) return body.reason === 'QUOTA_EXCEEDED' ? 'QUOTA_EXCEEDED' : 'RATE_LIMITED';
  if (status >= 500) return 'UPSTREAM';
  return 'BAD_REQUEST';
}
