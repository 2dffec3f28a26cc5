// A fetch stand-in that records every request and answers from a handler,
// in the style of the official Spotify TS SDK's tests.
export interface Call {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
  signal: AbortSignal | null;
}

export type Handler = (call: Call, index: number) => Response | Promise<Response>;

export interface FetchSpy {
  fetch: typeof fetch;
  calls: Call[];
}

export function fetchSpy(handler: Handler): FetchSpy {
  const calls: Call[] = [];
  const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    const call: Call = {
      method: init?.method ?? 'GET',
      url,
      headers,
      body,
      signal: init?.signal ?? null,
    };
    calls.push(call);
    const signal = init?.signal;
    if (signal?.aborted) throw signal.reason;
    return handler(call, calls.length - 1);
  };
  return { fetch: f as typeof fetch, calls };
}

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** Spotify's error body. */
export function apiError(
  status: number,
  message: string,
  extra: { reason?: string; headers?: Record<string, string> } = {},
): Response {
  const error: Record<string, unknown> = { status, message };
  if (extra.reason) error['reason'] = extra.reason;
  return json(status, { error }, extra.headers);
}

/** What fetch does when the connection drops: a TypeError. */
export function networkFailure(): never {
  throw new TypeError('fetch failed');
}
