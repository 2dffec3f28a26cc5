// Access tokens come from our server (POST /auth/token), which holds the
// refresh token in a sealed HttpOnly cookie: the browser never sees the
// refresh token or the client secret, only short-lived access tokens.
//
// "Not connected" is an answer, not a failure: the server says it with a 200
// `{ connected: false, code: 'NOT_CONNECTED' | 'AUTH_EXPIRED' }`, so a first
// run does not put a red 401 in the console. A 401 still means the same (a
// cookie the server could not open, or a server from before that change).
import { SpotifyError, type TokenProvider } from '@mtm/spotify-client';

export type ConnectionProblem = 'NOT_CONNECTED' | 'AUTH_EXPIRED';

export interface ServerTokenProviderOptions {
  fetch?: typeof fetch;
  now?: () => number;
  /** Called when the server says there is no usable connection. */
  onProblem?: (problem: ConnectionProblem) => void;
}

/** Refresh a little early so a token never expires between the check and the request. */
const EARLY_MS = 60_000;

export function createServerTokenProvider(
  opts: ServerTokenProviderOptions = {},
): TokenProvider & { forget(): void } {
  const fetchImpl = opts.fetch ?? ((...a: Parameters<typeof fetch>) => fetch(...a));
  const now = opts.now ?? Date.now;
  let cached: { token: string; expiresAt: number } | null = null;
  let inflight: Promise<string> | null = null;

  async function ask(forceRefresh: boolean, signal?: AbortSignal): Promise<string> {
    let res: Response;
    try {
      res = await fetchImpl('/auth/token', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ forceRefresh }),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      if (signal?.aborted) throw new SpotifyError('ABORTED', 'token request aborted', { cause });
      throw new SpotifyError('NETWORK', 'could not reach the app server for a token', { cause });
    }
    const body = (await res.json().catch(() => ({}))) as {
      connected?: unknown;
      accessToken?: unknown;
      expiresAt?: unknown;
      code?: unknown;
    };
    if ((res.ok && body.connected === false) || res.status === 401) {
      const problem: ConnectionProblem =
        body.code === 'AUTH_EXPIRED' ? 'AUTH_EXPIRED' : 'NOT_CONNECTED';
      cached = null;
      opts.onProblem?.(problem);
      throw new SpotifyError(
        'AUTH_EXPIRED',
        problem === 'AUTH_EXPIRED' ? 'the Spotify connection expired' : 'not connected to Spotify',
        { status: res.status === 401 ? 401 : null },
      );
    }
    if (!res.ok || typeof body.accessToken !== 'string') {
      throw new SpotifyError(
        'UPSTREAM',
        `the app server could not get a token (HTTP ${res.status})`,
        { status: res.status },
      );
    }
    const expiresAt = typeof body.expiresAt === 'number' ? body.expiresAt : now() + 3_600_000;
    cached = { token: body.accessToken, expiresAt };
    return body.accessToken;
  }

  return {
    async getAccessToken({ signal, forceRefresh = false }) {
      if (!forceRefresh && cached && cached.expiresAt - EARLY_MS > now()) return cached.token;
      // concurrent requests share one round trip to the server
      if (!forceRefresh && inflight) return inflight;
      const p = ask(forceRefresh, signal).finally(() => {
        if (inflight === p) inflight = null;
      });
      inflight = p;
      return p;
    },
    forget() {
      cached = null;
    },
  };
}
