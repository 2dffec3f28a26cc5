// Bearer-token checks for /v1 routes, driven by each route's config.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NOT_ALLOWLISTED_MESSAGE, apiError, unauthorized } from './api-errors.js';
import { type AccessTokenGrant, type EmulatorState, userByKey } from './state.js';
import type { EmulatorUser } from './users.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    operation?: string;
    scopes?: string[];
    auth?: boolean;
  }
}

/** Base URL for links in answers: the host the caller used. */
export function baseUrl(state: EmulatorState, request: FastifyRequest): string {
  const host = request.headers.host;
  if (host) return `${request.protocol}://${host}`;
  return state.listenUrl ?? 'http://127.0.0.1';
}

const grants = new WeakMap<FastifyRequest, { grant: AccessTokenGrant; user: EmulatorUser }>();

export function grantOf(request: FastifyRequest) {
  const g = grants.get(request);
  if (!g) throw new Error('route without authentication');
  return g;
}

/** Bearer token, allow-list and scope checks, in the order Spotify applies them. */
export function authenticate(state: EmulatorState) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const config = request.routeOptions.config;
    if (!config.auth) return;
    const header = request.headers.authorization;
    if (!header) return apiError(reply, 401, 'No token provided');
    if (!header.startsWith('Bearer '))
      return apiError(reply, 400, 'Only valid bearer authentication supported');
    const grant = state.accessTokens.get(header.slice(7));
    if (!grant) return unauthorized(reply, 'Invalid access token');
    if (grant.expiresAt <= state.clock.now())
      return unauthorized(reply, 'The access token expired');
    const user = userByKey(state, grant.userKey);
    if (!user) return unauthorized(reply, 'Invalid access token');
    if (!user.allowListed) return apiError(reply, 403, NOT_ALLOWLISTED_MESSAGE);
    if (config.scopes && !config.scopes.some((s) => grant.scopes.includes(s)))
      return apiError(reply, 403, 'Insufficient client scope');
    if (state.rateLimiter) {
      const verdict = state.rateLimiter.take(grant.clientId, state.clock.now());
      if (!verdict.allowed) {
        void reply.header('retry-after', String(verdict.retryAfterS));
        return apiError(reply, 429, 'API rate limit exceeded');
      }
    }
    grants.set(request, { grant, user });
    return;
  };
}
