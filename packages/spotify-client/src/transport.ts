// Sends one logical request: token, concurrency cap, retries, error codes.
// Everything that decides *whether* to send again lives here, so every
// operation of the client follows the same rules.
import { classifyStatus, readErrorBody } from './classify.js';
import { SpotifyError, redact } from './errors.js';
import { parseRetryAfter } from './retry-after.js';
import { abortError, throwIfAborted, type Semaphore } from './semaphore.js';

export interface TokenProvider {
  /** forceRefresh=true after a 401: return a token different from the rejected one, or throw SpotifyError AUTH_EXPIRED. */
  getAccessToken(opts: { signal?: AbortSignal; forceRefresh?: boolean }): Promise<string>;
}

export interface ClientStats {
  /** Every HTTP request sent, retries included. */
  requests: number;
  /** The same, per OpenAPI operation id (ReccoBeats: `reccobeats-audio-features`). */
  byOperation: Record<string, number>;
  /** Requests that were a repetition (after a 401, a 429 wait, a 5xx or a network error). */
  retries: number;
  /** Total time spent waiting before repetitions (Retry-After and backoff), in ms. */
  waitedMs: number;
  /** Highest number of requests in flight at once. */
  peakInFlight: number;
}

export interface TransportConfig {
  fetch: typeof fetch;
  now: () => number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  tokenProvider: TokenProvider;
  maxRetries: number;
  maxRetryAfterMs: number;
  maxRateLimitWaits: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  requestTimeoutMs: number | null;
  semaphore: Semaphore;
  stats: ClientStats;
}

export interface RequestSpec {
  /** OpenAPI operation id, for counting and error context. */
  operation: string;
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  /** Send the Spotify access token. Never true for third-party hosts. */
  auth: boolean;
  /**
   * Safe to send again after an ambiguous failure (5xx, dropped connection):
   * GETs. A POST that creates or appends is not: it may have been applied.
   */
  repeatable: boolean;
  /** Error statuses returned to the caller as `{ status }` instead of thrown. */
  passStatuses?: readonly number[];
  signal?: AbortSignal | undefined;
}

export interface RawResult {
  status: number;
  body: unknown;
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(
  cfg: Pick<TransportConfig, 'random' | 'backoffBaseMs' | 'backoffCapMs'>,
  attempt: number,
): number {
  const ceiling = Math.min(cfg.backoffCapMs, cfg.backoffBaseMs * 2 ** attempt);
  return Math.floor(cfg.random() * ceiling);
}

export async function send(cfg: TransportConfig, spec: RequestSpec): Promise<RawResult> {
  const { signal } = spec;
  const secrets: string[] = [];
  let token: string | null = null;
  let failures = 0; // 5xx and network failures of a repeatable request
  let rateWaits = 0;
  let refreshed = false;
  let first = true;

  const wait = async (ms: number) => {
    cfg.stats.waitedMs += ms;
    try {
      await cfg.sleep(ms, signal);
    } catch (e) {
      if (signal?.aborted) throw abortError(signal);
      throw e;
    }
    throwIfAborted(signal);
  };

  for (;;) {
    throwIfAborted(signal);
    if (spec.auth && token === null) token = await getToken(cfg, false, signal);
    if (token !== null && !secrets.includes(token)) secrets.push(token);

    const outcome = await attempt(cfg, spec, token, first);
    first = false;

    if (outcome.kind === 'network') {
      const err = new SpotifyError(
        'NETWORK',
        `${spec.operation}: ${outcome.timedOut ? 'no answer in time' : 'network failure'}`,
        {
          cause: outcome.cause,
          operation: spec.operation,
        },
      );
      if (spec.repeatable && failures < cfg.maxRetries) {
        await wait(backoffDelay(cfg, failures++));
        continue;
      }
      throw err;
    }

    const { res, text } = outcome;
    if (res.ok) {
      if (text.trim() === '') return { status: res.status, body: null };
      try {
        return { status: res.status, body: JSON.parse(text) as unknown };
      } catch (cause) {
        const err = new SpotifyError('UPSTREAM', `${spec.operation}: answer is not JSON`, {
          status: res.status,
          cause,
          operation: spec.operation,
        });
        if (spec.repeatable && failures < cfg.maxRetries) {
          await wait(backoffDelay(cfg, failures++));
          continue;
        }
        throw err;
      }
    }
    if (spec.passStatuses?.includes(res.status)) return { status: res.status, body: null };

    const eb = readErrorBody(text);
    const detail = redact(eb.message ?? res.statusText ?? '', secrets);
    const message = `${spec.operation}: ${res.status}${detail ? ` ${detail}` : ''}`;
    const code = classifyStatus(res.status, eb);

    if (res.status === 401 && spec.auth && !refreshed) {
      // A 401 means the request was refused, so repeating it is safe even for a POST.
      refreshed = true;
      const stale: string | null = token;
      token = await getToken(cfg, true, signal);
      if (token === stale)
        throw new SpotifyError(
          'AUTH_EXPIRED',
          `${spec.operation}: the token provider returned the rejected token`,
          { status: 401, operation: spec.operation },
        );
      continue;
    }

    if (res.status === 429 || (res.status >= 500 && res.headers.has('retry-after'))) {
      const now = cfg.now();
      const after = parseRetryAfter(res.headers.get('retry-after'), now);
      if (code === 'QUOTA_EXCEEDED') {
        throw new SpotifyError(code, message, {
          status: 429,
          retryAfterMs: after,
          retryAt: after === null ? null : now + after,
          operation: spec.operation,
        });
      }
      if (res.status === 429) {
        // 429 is a refusal, not a failure: the request was not applied, so it may be repeated (POSTs too).
        const delay = after ?? backoffDelay(cfg, rateWaits);
        if (delay <= cfg.maxRetryAfterMs && rateWaits < cfg.maxRateLimitWaits) {
          rateWaits++;
          await wait(delay);
          continue;
        }
        throw new SpotifyError('RATE_LIMITED', message, {
          status: 429,
          retryAfterMs: delay,
          retryAt: now + delay,
          operation: spec.operation,
        });
      }
      if (
        spec.repeatable &&
        failures < cfg.maxRetries &&
        after !== null &&
        after <= cfg.maxRetryAfterMs
      ) {
        failures++;
        await wait(after);
        continue;
      }
    }

    if (res.status >= 500 && spec.repeatable && failures < cfg.maxRetries) {
      await wait(backoffDelay(cfg, failures++));
      continue;
    }
    throw new SpotifyError(code, message, { status: res.status, operation: spec.operation });
  }
}

type Outcome =
  | { kind: 'response'; res: Response; text: string }
  | { kind: 'network'; cause: unknown; timedOut: boolean };

async function attempt(
  cfg: TransportConfig,
  spec: RequestSpec,
  token: string | null,
  first: boolean,
): Promise<Outcome> {
  const { signal } = spec;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

  const release = await cfg.semaphore.acquire(signal);
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer =
    cfg.requestTimeoutMs === null
      ? null
      : setTimeout(() => {
          timedOut = true;
          ctl.abort();
        }, cfg.requestTimeoutMs);
  try {
    cfg.stats.requests++;
    cfg.stats.byOperation[spec.operation] = (cfg.stats.byOperation[spec.operation] ?? 0) + 1;
    if (!first) cfg.stats.retries++;
    cfg.stats.peakInFlight = Math.max(cfg.stats.peakInFlight, cfg.semaphore.inUse);
    const init: RequestInit = { method: spec.method, headers, signal: ctl.signal };
    if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
    const res = await cfg.fetch(spec.url, init);
    const text = await res.text();
    return { kind: 'response', res, text };
  } catch (cause) {
    if (signal?.aborted) throw abortError(signal);
    return { kind: 'network', cause, timedOut };
  } finally {
    if (timer !== null) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    release();
  }
}

async function getToken(
  cfg: TransportConfig,
  forceRefresh: boolean,
  signal: AbortSignal | undefined,
): Promise<string> {
  try {
    const opts: { signal?: AbortSignal; forceRefresh?: boolean } = { forceRefresh };
    if (signal) opts.signal = signal;
    return await cfg.tokenProvider.getAccessToken(opts);
  } catch (e) {
    if (signal?.aborted) throw abortError(signal);
    if (e instanceof SpotifyError) throw e;
    // An unknown failure of the provider (for example the app's server unreachable) is
    // reported as NETWORK: asking the person to reconnect would be wrong if it is transient.
    throw new SpotifyError('NETWORK', 'The access token could not be obtained', { cause: e });
  }
}
