import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { AccountsError } from './accounts-error.js';

export interface TokenRouteOptions {
  now: () => number;
  rateLimitPerMinute: number;
}

/**
 * Below this much remaining life the cached token is not handed out: the
 * browser would start a sync with it and meet 401s halfway through.
 */
export const MIN_REMAINING_MS = 60_000;

/**
 * The answers of POST /auth/token. "Not connected" is an expected state (a
 * first run, a connection that reached its 6 months), not a failure: it is a
 * 200 saying so, because browsers log every 4xx/5xx fetch as an error in the
 * console. Failures keep their status: 401 SESSION_INVALID for a cookie no
 * configured key opens (tampered, or SESSION_KEY replaced without rotation),
 * 502 UPSTREAM, 400, 429.
 */
export type TokenAnswer =
  | { connected: true; accessToken: string; expiresAt: number; scope: string }
  | { connected: false; code: 'NOT_CONNECTED' | 'AUTH_EXPIRED' };

const notConnected = (code: 'NOT_CONNECTED' | 'AUTH_EXPIRED'): TokenAnswer => ({
  connected: false,
  code,
});

function wantsForceRefresh(body: unknown): boolean | null {
  if (body === undefined || body === null || body === '') return false;
  if (typeof body !== 'object' || Array.isArray(body)) return null;
  const v = (body as { forceRefresh?: unknown }).forceRefresh;
  if (v === undefined) return false;
  return typeof v === 'boolean' ? v : null;
}

const tokenRoutePlugin: FastifyPluginAsync<TokenRouteOptions> = async (app, opts) => {
  if (typeof opts.now !== 'function')
    throw new Error('token route: options.now must be a function returning ms');
  if (!app.hasDecorator('spotifyAccounts'))
    throw new Error('token route: register the oauth plugin first');
  const config = { rateLimit: { max: opts.rateLimitPerMinute, timeWindow: 60_000 } };

  app.post('/auth/token', { config }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const force = wantsForceRefresh(req.body);
    if (force === null) return reply.code(400).send({ code: 'BAD_REQUEST' });

    const read = req.readSession();
    if (read.state === 'none') return notConnected('NOT_CONNECTED');
    if (read.state === 'invalid') {
      req.log.warn(
        { event: 'session_cookie_rejected' },
        'session cookie failed to unseal (tampered, or sealed with another SESSION_KEY)',
      );
      return reply.clearSession().code(401).send({ code: 'SESSION_INVALID' });
    }
    if (read.state === 'expired') {
      req.log.info(
        { event: 'session_too_old' },
        'session consented longer ago than a refresh token lives: asking to connect again',
      );
      reply.clearSession();
      return notConnected('AUTH_EXPIRED');
    }
    const s = read.session;
    if (!force && s.expiresAt - opts.now() > MIN_REMAINING_MS) {
      // sealed under an older SESSION_KEY or in the old layout: the same session again,
      // under the newest key and at today's cookie path
      if (!read.current) reply.writeSession(s);
      const warm: TokenAnswer = {
        connected: true,
        accessToken: s.accessToken,
        expiresAt: s.expiresAt,
        scope: s.scope,
      };
      return warm;
    }

    try {
      const t = await app.spotifyAccounts.refresh(s.refreshToken);
      // Spotify may or may not rotate; when it does not, the old refresh token stays valid
      reply.writeSession({
        refreshToken: t.refreshToken ?? s.refreshToken,
        accessToken: t.accessToken,
        expiresAt: t.expiresAt,
        scope: t.scope || s.scope,
        consentAt: s.consentAt,
        // the account a session was issued for never changes with a refresh
        ...(s.accountId !== undefined ? { accountId: s.accountId } : {}),
      });
      const fresh: TokenAnswer = {
        connected: true,
        accessToken: t.accessToken,
        expiresAt: t.expiresAt,
        scope: t.scope || s.scope,
      };
      return fresh;
    } catch (err) {
      const e = err instanceof AccountsError ? err : new AccountsError('UPSTREAM', null, null);
      req.log.warn(
        { event: 'refresh_failed', reason: e.code, status: e.status, oauthError: e.oauthError },
        e.message,
      );
      // Only a definite invalid_grant ends the connection; an outage must not log everybody out.
      if (e.code === 'INVALID_GRANT') {
        reply.clearSession();
        return notConnected('AUTH_EXPIRED');
      }
      return reply.code(502).send({ code: 'UPSTREAM' });
    }
  });

  app.post('/auth/logout', { config }, async (_req, reply) => {
    return reply.clearSession().header('cache-control', 'no-store').code(204).send();
  });
};

export default fp(tokenRoutePlugin, {
  name: 'mtm-token-route',
  fastify: '5.x',
  dependencies: ['mtm-session', 'mtm-oauth'],
});
