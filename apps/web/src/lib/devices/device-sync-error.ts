// Every way syncing between devices can fail, as one error class with a
// stable code (the words are chosen in ui/error-words.ts). The relay's own
// refusals keep its code; what the device finds wrong with a record gets one
// of ours. Nothing here ever holds a key, a record body or a cookie.

export type DeviceSyncErrorCode =
  /** the code typed or scanned is not a sync key: a character is wrong or missing */
  | 'SYNC_KEY_TYPO'
  /** the records on the server were made with another key */
  | 'SYNC_WRONG_KEY'
  /** a record failed its check (altered, cut short, or moved): nothing of it was applied */
  | 'SYNC_TAMPERED'
  /** a record written by a newer version of the app */
  | 'SYNC_UPDATE_APP'
  /** another device made a new key (removed a device): this one needs it */
  | 'SYNC_KEY_CHANGED'
  /** "Add this device" while the server holds no copy yet */
  | 'SYNC_NOTHING_TO_JOIN'
  /** "Turn on sync" while the server already holds a copy made with a key */
  | 'SYNC_ALREADY_ON'
  /** the diary shown is not the Spotify account this browser is connected as */
  | 'SYNC_OTHER_ACCOUNT'
  /** a session made before the server learned account ids: connect again */
  | 'RECONNECT_FOR_SYNC'
  | 'NOT_CONNECTED'
  | 'AUTH_EXPIRED'
  | 'SYNC_QUOTA_FULL'
  | 'SYNC_BODY_TOO_LARGE'
  | 'SYNC_RATE_LIMITED'
  /** the server answered but could not store or read (a 5xx), or offers no sync */
  | 'SYNC_UNAVAILABLE'
  /** the server could not be reached */
  | 'NETWORK'
  | 'SYNC_BAD_REQUEST';

/** Failures that go away by themselves: the sync keeps everything and tries again later. */
const RETRYABLE: ReadonlySet<DeviceSyncErrorCode> = new Set([
  'NETWORK',
  'SYNC_UNAVAILABLE',
  'SYNC_RATE_LIMITED',
]);

export class DeviceSyncError extends Error {
  override name = 'DeviceSyncError';
  readonly code: DeviceSyncErrorCode;
  /** The HTTP status when the relay answered, else null. */
  readonly status: number | null;
  /** How long the relay asked us to wait (429), else null. */
  readonly retryAfterMs: number | null;

  constructor(
    code: DeviceSyncErrorCode,
    message: string,
    opts: { status?: number | null; retryAfterMs?: number | null; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.status = opts.status ?? null;
    this.retryAfterMs = opts.retryAfterMs ?? null;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isDeviceSyncError(e: unknown): e is DeviceSyncError {
  return e instanceof DeviceSyncError;
}
