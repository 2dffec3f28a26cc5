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
  | DeviceSyncCode
  | 'UNKNOWN';

/**
 * Syncing between the person's devices (lib/devices, issue 13): the relay's
 * refusals and what a device finds wrong with a key or a record.
 */
export type DeviceSyncCode =
  /** the code typed or scanned is not a sync key: a character is wrong or missing */
  | 'SYNC_KEY_TYPO'
  /** the records on the server were sealed with another key */
  | 'SYNC_WRONG_KEY'
  /** a record failed its check (altered, cut short, or moved): nothing of it was applied */
  | 'SYNC_TAMPERED'
  /** a record written by a newer version of the app */
  | 'SYNC_UPDATE_APP'
  /** another device made a new key (removed a device): this one needs it */
  | 'SYNC_KEY_CHANGED'
  /** "Add this device" while the server holds no copy yet */
  | 'SYNC_NOTHING_TO_JOIN'
  /** "Turn on sync" while the server already holds a copy sealed with a key */
  | 'SYNC_ALREADY_ON'
  /** the diary shown is not the Spotify account this browser is connected as */
  | 'SYNC_OTHER_ACCOUNT'
  /** a session made before the server learned account ids: connect again */
  | 'RECONNECT_FOR_SYNC'
  | 'SYNC_QUOTA_FULL'
  | 'SYNC_BODY_TOO_LARGE'
  | 'SYNC_RATE_LIMITED'
  /** the relay answered but could not store or read (a 5xx), or offers no sync */
  | 'SYNC_UNAVAILABLE'
  | 'SYNC_BAD_REQUEST';

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
  'SYNC_KEY_TYPO',
  'SYNC_WRONG_KEY',
  'SYNC_TAMPERED',
  'SYNC_UPDATE_APP',
  'SYNC_KEY_CHANGED',
  'SYNC_NOTHING_TO_JOIN',
  'SYNC_ALREADY_ON',
  'SYNC_OTHER_ACCOUNT',
  'RECONNECT_FOR_SYNC',
  'SYNC_QUOTA_FULL',
  'SYNC_BODY_TOO_LARGE',
  'SYNC_RATE_LIMITED',
  'SYNC_UNAVAILABLE',
  'SYNC_BAD_REQUEST',
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

/**
 * The words for a failure of syncing between devices. Offline, and the
 * relay busy or asking to wait, go away by themselves: the words say so and
 * when the next try is. Codes shared with Spotify's (NETWORK, AUTH_EXPIRED,
 * NOT_CONNECTED) are said in sync's terms here.
 */
export function syncWordsFor(
  code: AppErrorCode,
  opts: { retryAt?: number | null } = {},
): ErrorWords {
  const again = opts.retryAt ? ` Trying again at ${clockTime(opts.retryAt)}.` : '';
  switch (code) {
    case 'NETWORK':
      return {
        text: `The server can't be reached right now. Everything stays on this device and goes across when it can.${again}`,
        action: 'retry',
      };
    case 'SYNC_UNAVAILABLE':
      return {
        text: `The server could not keep the copy just now. Nothing is lost; sync tries again by itself.${again}`,
        action: 'retry',
      };
    case 'SYNC_RATE_LIMITED':
      return { text: `Syncing a lot in a short time: pausing for a moment.${again}`, action: null };
    case 'SYNC_QUOTA_FULL':
      return {
        text: 'The copy on the server is full. Your diary is safe on this device; new things stay here until there is room.',
        action: null,
      };
    case 'SYNC_BODY_TOO_LARGE':
      return {
        text: 'One month of your diary is too large to send. It stays on this device.',
        action: null,
      };
    case 'SYNC_KEY_TYPO':
      return {
        text: 'That key has a typo: a letter or digit is wrong or missing. Check it against the other device.',
        action: null,
      };
    case 'SYNC_WRONG_KEY':
      return {
        text: 'This key does not open the copy on the server. Nothing was changed here. Use the key shown on your other device (if it made a new key, use the new one).',
        action: null,
      };
    case 'SYNC_TAMPERED':
      return {
        text: 'Part of the copy on the server failed its check, so none of it was used. Your diary here is unchanged. If this keeps happening, delete the copy on the server and turn sync on again.',
        action: null,
      };
    case 'SYNC_UPDATE_APP':
      return {
        text: 'Another device sent something this version of the app cannot read yet. Update the app (reload the page) to keep syncing.',
        action: 'retry',
      };
    case 'SYNC_KEY_CHANGED':
      return {
        text: 'The sync key was changed on another device. Enter the new key here to keep syncing; until then nothing is sent from this device.',
        action: null,
      };
    case 'SYNC_NOTHING_TO_JOIN':
      return {
        text: 'There is no copy on the server yet. Turn sync on on your other device first, then add this one.',
        action: null,
      };
    case 'SYNC_ALREADY_ON':
      return {
        text: 'Sync is already on for this account on another device. Add this device with the key shown there instead.',
        action: null,
      };
    case 'SYNC_OTHER_ACCOUNT':
      return {
        text: 'This browser is connected to Spotify as another account than the diary shown. Switch to that diary, or connect this account, to sync it.',
        action: 'reconnect',
      };
    case 'RECONNECT_FOR_SYNC':
    case 'NOT_CONNECTED':
    case 'AUTH_EXPIRED':
      return {
        text: 'Sync needs your Spotify connection. Connect again; your diary is safe.',
        action: 'reconnect',
      };
    case 'SYNC_BAD_REQUEST':
      return {
        text: 'The server refused what this device sent. Update the app (reload the page) and try again.',
        action: 'retry',
      };
    default:
      return wordsFor(code, opts);
  }
}
