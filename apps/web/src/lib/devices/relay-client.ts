// The server's /sync relay (apps/server/README.md), as one small client:
// same origin, the session cookie says whose records these are, bodies are
// opaque base64url. A PUT goes gzip-compressed where the browser can
// (CompressionStream), which takes base64 back to about the size of the
// bytes; answers come gzip-compressed and the browser inflates them. Every
// refusal becomes a DeviceSyncError with the relay's own code, the status
// and, for 429, how long to wait.
import { DeviceSyncError, type DeviceSyncErrorCode } from './device-sync-error';
import type { WireRecord } from './record-crypto';

export interface RelayRecord extends WireRecord {
  seq: number;
}

export interface RelayPage {
  records: RelayRecord[];
  cursor: number;
  more: boolean;
}

export interface RelayStatus {
  records: number;
  bytes: number;
  quotaBytes: number;
  cursor: number;
  epoch: number | null;
}

export interface Relay {
  put(records: readonly WireRecord[]): Promise<{ cursor: number }>;
  list(after: number, limit: number): Promise<RelayPage>;
  status(): Promise<RelayStatus>;
  deleteBelow(epoch: number): Promise<number>;
  deleteAll(): Promise<number>;
}

/** The relay's limits a client must stay under (apps/server/src/sync/protocol.ts). */
export const RELAY_LIMITS = {
  recordsPerPut: 500,
  /** the PUT's JSON; a margin under the relay's 4 MiB */
  requestBytes: 3.5 * 1024 * 1024,
  pageMax: 1000,
} as const;

const KNOWN: ReadonlySet<string> = new Set<DeviceSyncErrorCode>([
  'NOT_CONNECTED',
  'AUTH_EXPIRED',
  'RECONNECT_FOR_SYNC',
  'SYNC_QUOTA_FULL',
  'SYNC_BODY_TOO_LARGE',
  'SYNC_RATE_LIMITED',
  'SYNC_UNAVAILABLE',
  'SYNC_BAD_REQUEST',
]);

function codeFor(status: number, code: unknown): DeviceSyncErrorCode {
  if (typeof code === 'string' && KNOWN.has(code)) return code as DeviceSyncErrorCode;
  // a cookie no key opens is, for the person, a connection to make again
  if (code === 'SESSION_INVALID') return 'RECONNECT_FOR_SYNC';
  if (status === 401) return 'NOT_CONNECTED';
  if (status === 413) return 'SYNC_BODY_TOO_LARGE';
  if (status === 429) return 'SYNC_RATE_LIMITED';
  if (status >= 400 && status < 500 && status !== 404) return 'SYNC_BAD_REQUEST';
  // 404: a server that offers no sync; 5xx: one that could not answer now
  return 'SYNC_UNAVAILABLE';
}

function retryAfter(res: Response, body: Record<string, unknown>): number | null {
  if (typeof body['retryAfterMs'] === 'number') return body['retryAfterMs'];
  const header = res.headers.get('retry-after');
  if (header === null) return null;
  const s = Number(header);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

/** Smaller bodies go as they are: gzip would save nothing worth a stream. */
const GZIP_FROM_BYTES = 1024;

/** A JSON body, gzip-compressed when it is large enough and the platform can. */
async function jsonBody(value: unknown): Promise<{ body: BodyInit; headers: HeadersInit }> {
  const text = JSON.stringify(value);
  const json = { 'content-type': 'application/json' };
  if (text.length < GZIP_FROM_BYTES || typeof CompressionStream === 'undefined')
    return { body: text, headers: json };
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  const body = new Uint8Array(await new Response(gz).arrayBuffer());
  return { body, headers: { ...json, 'content-encoding': 'gzip' } };
}

export function createRelayClient(opts: { fetch?: typeof fetch; baseUrl?: string } = {}): Relay {
  const doFetch = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const base = `${opts.baseUrl ?? ''}/sync`;

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    const sent = body === undefined ? { headers: {} } : await jsonBody(body);
    try {
      res = await doFetch(`${base}${path}`, { method, credentials: 'same-origin', ...sent });
    } catch (e) {
      throw new DeviceSyncError('NETWORK', 'the server could not be reached', { cause: e });
    }
    let json: Record<string, unknown> = {};
    try {
      json = (await res.json()) as Record<string, unknown>;
    } catch {
      // an error page that is not JSON: the status decides
    }
    if (!res.ok) {
      const code = codeFor(res.status, json['code']);
      const message = typeof json['message'] === 'string' ? json['message'] : `HTTP ${res.status}`;
      throw new DeviceSyncError(code, `${method} ${path}: ${message}`, {
        status: res.status,
        retryAfterMs: res.status === 429 ? retryAfter(res, json) : null,
      });
    }
    return json as T;
  }

  return {
    put: (records) =>
      call('PUT', '/records', {
        records: records.map((r) => ({ id: r.id, epoch: r.epoch, body: r.body })),
      }),
    list: (after, limit) => call('GET', `/records?after=${after}&limit=${limit}`),
    status: () => call('GET', '/status'),
    deleteBelow: async (epoch) =>
      (await call<{ deleted: number }>('DELETE', `/records?epochBelow=${epoch}`)).deleted,
    deleteAll: async () => (await call<{ deleted: number }>('DELETE', '')).deleted,
  };
}
