import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type Session, SESSION_COOKIE, sealSession } from '../session.js';
import { PUBLIC_URL } from './config.js';

/** A temporary DATA_DIR; `cleanup` removes it. */
export function tempDataDir(): { dir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'mtm-sync-'));
  return { dir: join(root, 'data'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A session as the callback seals it, for the given account; tokens random so a leak is findable. */
export function sessionFor(accountId: string | undefined, over: Partial<Session> = {}): Session {
  return {
    refreshToken: `rt-${randomBytes(12).toString('hex')}`,
    accessToken: `at-${randomBytes(12).toString('hex')}`,
    expiresAt: Date.now() + 3600_000,
    scope: 'user-top-read',
    consentAt: Date.now() - 60_000,
    ...(accountId !== undefined ? { accountId } : {}),
    ...over,
  };
}

export function cookieFor(keys: Buffer | Buffer[], session: Session): string {
  return `${SESSION_COOKIE}=${sealSession(keys, session)}`;
}

export function b64(bytes: Buffer | string): string {
  return (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)).toString('base64url');
}

/** One request to the relay as the app's own page sends it: same origin, the session cookie, JSON. */
export function syncCall(
  app: FastifyInstance,
  method: 'GET' | 'PUT' | 'DELETE',
  url: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: {
      origin: PUBLIC_URL,
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.body !== undefined && typeof opts.body !== 'string'
        ? { 'content-type': 'application/json' }
        : {}),
      ...opts.headers,
    },
    ...(opts.body !== undefined
      ? { payload: typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body) }
      : {}),
  });
}
