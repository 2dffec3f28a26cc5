import type { FastifyRequest } from 'fastify';

/** Query parameters that carry a secret or a one-time credential on the way through /auth/callback. */
const SECRET_PARAMS = new Set([
  'code',
  'state',
  'refresh_token',
  'access_token',
  'client_secret',
  'code_verifier',
]);

export const REDACTED = '[redacted]';

export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMS.has(key)) params.set(key, REDACTED);
  return `${url.slice(0, q)}?${params.toString()}`;
}

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'code',
  'refresh_token',
  'access_token',
  'client_secret',
  'refreshToken',
  'accessToken',
  'clientSecret',
  '*.code',
  '*.refresh_token',
  '*.access_token',
  '*.client_secret',
  '*.refreshToken',
  '*.accessToken',
  '*.clientSecret',
];

export interface LogOptions {
  level?: string;
  /** a pino destination; tests pass one that collects lines */
  stream?: { write(line: string): void };
}

/**
 * Fastify's logger options with secrets removed twice over: the request
 * serializer drops the callback's code and state from the logged URL, and
 * pino's redaction censors the fields a careless log call might carry.
 * Log calls in this server name their fields (`reason`, `status`), never the
 * raw upstream error, which holds the Basic credentials of the request.
 */
export function loggerOptions(opts: LogOptions = {}) {
  return {
    level: opts.level ?? 'info',
    ...(opts.stream ? { stream: opts.stream } : {}),
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req(req: FastifyRequest) {
        return { method: req.method, url: redactUrl(req.url), remoteAddress: req.ip };
      },
    },
  };
}
