// The words a person reads for each error code (PRODUCT.md's table). Codes
// come from SpotifyError and from the server's /auth answers; nothing here
// ever includes a token or an upstream message.
import { SpotifyError } from '@mtm/spotify-client';

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  });
}

export function errorCode(e: unknown): string {
  if (e instanceof SpotifyError) return e.code;
  if (e instanceof DOMException && e.name === 'AbortError') return 'ABORTED';
  if (e instanceof TypeError) return 'NETWORK';
  return 'UNKNOWN';
}

export interface ErrorWords {
  text: string;
  /** What the person can do about it, when there is something. */
  action: 'reconnect' | 'retry' | 'allowlist-help' | null;
}

export function wordsFor(code: string, opts: { retryAt?: number | null } = {}): ErrorWords {
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
    case 'access_denied':
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
