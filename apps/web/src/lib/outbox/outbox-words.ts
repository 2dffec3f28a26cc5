// What a person reads about a push, chosen from the stored state and error
// code (PRODUCT.md, "Errors, in words a person understands"). Kept apart from
// the components so the wording is tested without rendering anything.
import { RESTORED_FROM_BACKUP } from '../backup/restored-push';
import { asAppErrorCode, clockTime } from '../ui/error-words';
import type { OutboxEntry } from './outbox-entry';

export interface EntryWords {
  /** One short line: where the push is. */
  status: string;
  /** What the person can do, if anything. */
  action: 'retry' | 'reconnect' | 'open' | null;
  tone: 'ok' | 'wait' | 'error';
}

export function describeEntry(e: OutboxEntry, online: boolean, timeZone?: string): EntryWords {
  const total = e.uris.length;
  switch (e.state) {
    case 'done':
      return {
        status: `On Spotify: ${total} ${total === 1 ? 'track' : 'tracks'}.`,
        action: 'open',
        tone: 'ok',
      };
    case 'pending':
      return online
        ? { status: 'Waiting to be sent.', action: null, tone: 'wait' }
        : {
            status: "You're offline. This playlist will be sent when you're back online.",
            action: null,
            tone: 'wait',
          };
    case 'creating':
      return {
        status: online
          ? 'Creating the playlist on Spotify...'
          : 'Interrupted while creating; continues when online.',
        action: null,
        tone: 'wait',
      };
    case 'adding':
      return {
        status: online
          ? `Adding tracks... ${e.addedCount} of ${total}`
          : `Interrupted at ${e.addedCount} of ${total}; continues when online.`,
        action: null,
        tone: 'wait',
      };
    case 'failed':
      return failureWords(e, online, timeZone);
  }
}

function failureWords(e: OutboxEntry, online: boolean, timeZone?: string): EntryWords {
  const err = e.lastError;
  const at = err?.retryAt != null ? clockTime(err.retryAt, timeZone) : null;
  // not a Spotify failure: nothing was tried on this device yet (restored-push.ts)
  if (err?.code === RESTORED_FROM_BACKUP)
    return {
      status: 'Restored from a backup: tap Retry to send it.',
      action: 'retry',
      tone: 'wait',
    };
  switch (err ? asAppErrorCode(err.code) : null) {
    case 'RATE_LIMITED':
      return {
        status: `Spotify asked us to slow down. Continuing at ${at ?? 'a later time'}.`,
        action: 'retry',
        tone: 'wait',
      };
    case 'QUOTA_EXCEEDED':
      return {
        status: `This app has used its Spotify allowance for now. Trying again at ${at ?? 'a later time'}.`,
        action: 'retry',
        tone: 'wait',
      };
    case 'NETWORK':
      return online
        ? {
            status: `Spotify could not be reached. Trying again at ${at ?? 'a later time'}.`,
            action: 'retry',
            tone: 'wait',
          }
        : {
            status: "You're offline. This playlist will be sent when you're back online.",
            action: null,
            tone: 'wait',
          };
    case 'UPSTREAM':
      return {
        status: `Spotify had a problem. Trying again at ${at ?? 'a later time'}.`,
        action: 'retry',
        tone: 'wait',
      };
    case 'AUTH_EXPIRED':
      return {
        status:
          'Your Spotify connection expired (they last 6 months). Your diary is safe; reconnect to send this playlist.',
        action: 'reconnect',
        tone: 'error',
      };
    case 'NOT_ALLOWLISTED':
      return {
        status:
          'This Spotify app has not been opened to your account yet, so it cannot make playlists for you.',
        action: 'retry',
        tone: 'error',
      };
    case 'INSUFFICIENT_SCOPE':
      return {
        status:
          'Spotify did not give this app permission to make playlists. Reconnect and allow it.',
        action: 'reconnect',
        tone: 'error',
      };
    case 'NOT_FOUND':
      return {
        status:
          'The playlist was deleted on Spotify while it was being filled. Retry makes a new one.',
        action: 'retry',
        tone: 'error',
      };
    case 'BAD_REQUEST':
      return {
        status:
          'The playlist was changed on Spotify while it was being filled, so it was left as it is.',
        action: 'open',
        tone: 'error',
      };
    default:
      return { status: 'Sending this playlist failed.', action: 'retry', tone: 'error' };
  }
}

/**
 * Why pushes wait while Spotify is connected as another account than the
 * diary's (issue 12): the playlist would otherwise land in the wrong account.
 */
export function connectedElsewhereWords(connectedAs: string): string {
  return `Waiting: Spotify is connected as ${connectedAs}, not as the account of this diary, so nothing is sent. Connect this diary's Spotify account (Settings › Connect another account) to send these playlists.`;
}
