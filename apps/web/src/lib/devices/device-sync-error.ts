// Every way syncing between devices can fail, as one error class with a
// stable code (the words are chosen in ui/error-words.ts). The relay's own
// refusals keep its code; what the device finds wrong with a record gets one
// of ours. Nothing here ever holds a key, a record body or a cookie.
import type { DeviceSyncCode } from '../ui/error-words';

/**
 * Codes as error-words.ts lists them (DeviceSyncCode, with their meaning
 * there), plus the app-wide ones sync shares: offline, and the Spotify
 * connection the relay's session rests on.
 */
export type DeviceSyncErrorCode = DeviceSyncCode | 'NETWORK' | 'NOT_CONNECTED' | 'AUTH_EXPIRED';

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
