// The words a person reads for each error code (PRODUCT.md's table). Codes
// come from SpotifyError and from the server's /auth answers; nothing here
// ever includes a token or an upstream message.
import { SpotifyError, type SpotifyErrorCode } from '@mtm/spotify-client';

/**
 * Every code the app puts into words: Spotify's, as the client classifies
 * them, and the app's own. Words-for-errors functions take this type, never a
 * plain string, so a code cannot be misspelt on the way to the screen.
 */
export type AppErrorCode =
  | SpotifyErrorCode
  /** No Spotify connection on this device (the server holds no session). */
  | 'NOT_CONNECTED'
  /** The person declined on Spotify's consent page (OAuth `access_denied`). */
  | 'ACCESS_DENIED'
  /** A push restored from a backup file: it waits for the person's Retry. */
  | 'RESTORED_FROM_BACKUP'
  | 'UNKNOWN';

const APP_ERROR_CODES: ReadonlySet<string> = new Set<AppErrorCode>([
  'RATE_LIMITED',
  'QUOTA_EXCEEDED',
  'AUTH_EXPIRED',
  'NOT_ALLOWLISTED',
  'INSUFFICIENT_SCOPE',
  'FEATURES_UNAVAILABLE',
  'NOT_FOUND',
  'BAD_REQUEST',
  'UPSTREAM',
  'NETWORK',
  'ABORTED',
  'NOT_CONNECTED',
  'ACCESS_DENIED',
  'RESTORED_FROM_BACKUP',
  'UNKNOWN',
]);

/** A code read back from storage or a URL: known codes as they are, anything else UNKNOWN. */
export function asAppErrorCode(code: unknown): AppErrorCode {
  return typeof code === 'string' && APP_ERROR_CODES.has(code) ? (code as AppErrorCode) : 'UNKNOWN';
}

/** The code of whatever a Spotify call threw. */
export function errorCode(e: unknown): AppErrorCode {
  if (e instanceof SpotifyError) return e.code;
  if (e instanceof DOMException && e.name === 'AbortError') return 'ABORTED';
  if (e instanceof TypeError) return 'NETWORK';
  return 'UNKNOWN';
}

/** "14:32": a time of day on the 24-hour clock, in `timeZone` (default: the device's). */
export function clockTime(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone }).format(
    at,
  );
}

export interface ErrorWords {
  text: string;
  /** What the person can do about it, when there is something. */
  action: 'reconnect' | 'retry' | 'allowlist-help' | null;
}

export function wordsFor(code: AppErrorCode, opts: { retryAt?: number | null } = {}): ErrorWords {
  switch (code) {
    case 'RATE_LIMITED':
      return {
        text: `Spotify asked us to slow down. Continuing at ${clockTime(opts.retryAt ?? Date.now() + 60_000)}.`,
        action: null,
      };
    case 'QUOTA_EXCEEDED':
      return {
        text: 'This app has used its Spotify allowance for now. Try again later.',
        action: 'retry',
      };
    case 'AUTH_EXPIRED':
      return {
        text: 'Your Spotify connection expired (they last 6 months). Your diary is safe.',
        action: 'reconnect',
      };
    case 'NOT_CONNECTED':
      return {
        text: 'This device is not connected to Spotify. Your diary is safe.',
        action: 'reconnect',
      };
    case 'NOT_ALLOWLISTED':
      return {
        text: 'This Spotify app has not been opened to your account yet.',
        action: 'allowlist-help',
      };
    case 'INSUFFICIENT_SCOPE':
      return {
        text: 'Spotify did not give this app all the permissions it needs. Connecting again fixes it.',
        action: 'reconnect',
      };
    case 'FEATURES_UNAVAILABLE':
      return {
        text: 'Spotify no longer shares audio features with new apps; using another source.',
        action: null,
      };
    case 'NETWORK':
      return {
        text: "You're offline. Everything here still works; pushes wait in the outbox.",
        action: null,
      };
    case 'ACCESS_DENIED':
      return {
        text: 'You chose not to connect Spotify. Nothing was shared. You can connect whenever you like, or import your history instead.',
        action: 'reconnect',
      };
    case 'UPSTREAM':
      return {
        text: 'Spotify is having trouble right now. Your diary is safe; we will try again next time.',
        action: 'retry',
      };
    default:
      return {
        text: 'Something went wrong talking to Spotify. Your diary is safe; try again in a moment.',
        action: 'retry',
      };
  }
}
