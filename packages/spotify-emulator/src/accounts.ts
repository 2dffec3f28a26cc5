// Stand-in for accounts.spotify.com: the consent page and the token endpoint.
// Errors follow RFC 6749: a bad client or redirect URI gets an error page
// (never a redirect to an address nobody registered); every other problem is
// reported to the registered redirect URI with `error=` and the state.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { consentPage, errorPage } from './consent-page.js';
import { KNOWN_SCOPES, parseScopes } from './scopes.js';
import { type EmulatorState, countRequest, userByKey } from './state.js';

const CODE_LIFETIME_MS = 10 * 60_000;

type Query = Record<string, string | undefined>;

interface ValidAuthorize {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
  scopes: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
}

function redirectWith(
  reply: FastifyReply,
  redirectUri: string,
  params: Record<string, string | undefined>,
) {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return reply.redirect(url.toString(), 302);
}

/** Validates an authorize request; answers the error itself and returns null when invalid. */
function validateAuthorize(
  state: EmulatorState,
  q: Query,
  reply: FastifyReply,
): ValidAuthorize | null {
  const client = q.client_id ? state.clients.get(q.client_id) : undefined;
  if (!client) {
    void reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(errorPage('INVALID_CLIENT: Invalid client'));
    return null;
  }
  if (!q.redirect_uri || !client.redirectUris.includes(q.redirect_uri)) {
    void reply
      .code(400)
      .type('text/html; charset=utf-8')
      .send(errorPage('INVALID_CLIENT: Invalid redirect URI'));
    return null;
  }
  const fail = (error: string, description: string) => {
    void redirectWith(reply, q.redirect_uri as string, {
      error,
      error_description: description,
      state: q.state,
    });
    return null;
  };
  if (q.response_type !== 'code')
    return fail('unsupported_response_type', 'response_type must be code');
  const scopes = parseScopes(q.scope);
  const unknown = scopes.filter((s) => !KNOWN_SCOPES.has(s));
  if (unknown.length > 0) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
  const challenge = q.code_challenge ?? null;
  const method = q.code_challenge_method ?? null;
  if (challenge !== null || method !== null) {
    if (method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256');
    if (challenge === null || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      return fail('invalid_request', 'code_challenge must be a base64url SHA-256 digest');
  }
  return {
    clientId: client.clientId,
    redirectUri: q.redirect_uri,
    state: q.state,
    scopes,
    codeChallenge: challenge,
    codeChallengeMethod: method,
  };
}

function token(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | null {
  if (!header || !header.startsWith('Basic ')) return null;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/** Constant-time comparison, as a real token endpoint would do. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .send({ error, error_description: description });
}

export async function accountsRoutes(app: FastifyInstance, opts: { state: EmulatorState }) {
  const { state } = opts;

  app.get('/accounts/authorize', async (request, reply) => {
    countRequest(state, 'accounts-authorize');
    const q = request.query as Query;
    const valid = validateAuthorize(state, q, reply);
    if (!valid) return reply;
    return reply.type('text/html; charset=utf-8').send(consentPage(valid, q, state.users));
  });

  // The consent form posts back every authorize parameter plus the decision,
  // so nothing has to be remembered between showing the page and answering it.
  app.post('/accounts/authorize', async (request, reply) => {
    countRequest(state, 'accounts-consent');
    const q = (request.body ?? {}) as Query;
    const valid = validateAuthorize(state, q, reply);
    if (!valid) return reply;
    if (q.decision !== 'agree') {
      return redirectWith(reply, valid.redirectUri, { error: 'access_denied', state: valid.state });
    }
    const user = userByKey(state, q.account ?? 'listener');
    if (!user)
      return redirectWith(reply, valid.redirectUri, {
        error: 'invalid_request',
        error_description: 'Unknown account',
        state: valid.state,
      });
    const code = token('AQ', 96);
    const now = state.clock.now();
    state.codes.set(code, {
      clientId: valid.clientId,
      redirectUri: valid.redirectUri,
      userKey: user.key,
      scopes: valid.scopes,
      codeChallenge: valid.codeChallenge,
      expiresAt: now + CODE_LIFETIME_MS,
      consentAt: now,
    });
    return redirectWith(reply, valid.redirectUri, { code, state: valid.state });
  });

  app.post('/accounts/api/token', async (request, reply) => {
    countRequest(state, 'accounts-token');
    const body = (request.body ?? {}) as Query;
    if (
      typeof request.body !== 'object' ||
      !String(request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
    ) {
      return oauthError(
        reply,
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded',
      );
    }
    // Confidential clients authenticate with Basic auth or body credentials;
    // a PKCE public client sends only client_id and must then prove the verifier.
    const basic = basicCredentials(request.headers.authorization);
    const clientId = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    const client = clientId ? state.clients.get(clientId) : undefined;
    if (!client) return oauthError(reply, 400, 'invalid_client', 'Invalid client');
    if (secret !== undefined && !sameSecret(secret, client.clientSecret))
      return oauthError(reply, 400, 'invalid_client', 'Invalid client secret');
    const authenticated = secret !== undefined;
    const now = state.clock.now();

    if (body.grant_type === 'authorization_code') {
      const grant = body.code ? state.codes.get(body.code) : undefined;
      if (!grant || grant.clientId !== client.clientId)
        return oauthError(reply, 400, 'invalid_grant', 'Invalid authorization code');
      if (grant.expiresAt <= now) {
        state.codes.delete(body.code as string);
        return oauthError(reply, 400, 'invalid_grant', 'Authorization code expired');
      }
      if (body.redirect_uri !== grant.redirectUri)
        return oauthError(reply, 400, 'invalid_grant', 'Invalid redirect URI');
      if (grant.codeChallenge !== null) {
        const verifier = body.code_verifier;
        if (!verifier || !/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
          return oauthError(
            reply,
            400,
            'invalid_request',
            'code_verifier required (43..128 characters)',
          );
        const digest = createHash('sha256').update(verifier).digest('base64url');
        if (digest !== grant.codeChallenge)
          return oauthError(reply, 400, 'invalid_grant', 'code_verifier was incorrect');
      } else if (!authenticated) {
        return oauthError(reply, 400, 'invalid_client', 'Invalid client secret');
      }
      state.codes.delete(body.code as string);
      const accessToken = token('BQ', 120);
      const refreshToken = token('AQ', 100);
      state.accessTokens.set(accessToken, {
        clientId: client.clientId,
        userKey: grant.userKey,
        scopes: grant.scopes,
        expiresAt: now + state.accessTokenLifetimeS * 1000,
      });
      state.refreshTokens.set(refreshToken, {
        clientId: client.clientId,
        userKey: grant.userKey,
        scopes: grant.scopes,
        consentAt: grant.consentAt,
      });
      return reply.header('cache-control', 'no-store').send({
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenLifetimeS,
        refresh_token: refreshToken,
        scope: grant.scopes.join(' '),
      });
    }

    if (body.grant_type === 'refresh_token') {
      const grant = body.refresh_token ? state.refreshTokens.get(body.refresh_token) : undefined;
      if (!grant || grant.clientId !== client.clientId)
        return oauthError(reply, 400, 'invalid_grant', 'Invalid refresh token');
      if (now >= grant.consentAt + state.refreshTokenLifetimeMs)
        return oauthError(reply, 400, 'invalid_grant', 'Refresh token revoked');
      const accessToken = token('BQ', 120);
      state.accessTokens.set(accessToken, {
        clientId: client.clientId,
        userKey: grant.userKey,
        scopes: grant.scopes,
        expiresAt: now + state.accessTokenLifetimeS * 1000,
      });
      const rotate =
        state.rotateRefreshToken === 'always' ||
        (state.rotateRefreshToken === 'sometimes' && state.rotationRandom() < 0.5);
      const answer: Record<string, unknown> = {
        access_token: accessToken,
        token_type: 'Bearer',
        expires_in: state.accessTokenLifetimeS,
        scope: grant.scopes.join(' '),
      };
      if (rotate) {
        // The old refresh token keeps working until the grant ends: clients
        // that refresh concurrently must not lose the connection over it.
        const refreshToken = token('AQ', 100);
        state.refreshTokens.set(refreshToken, { ...grant });
        answer.refresh_token = refreshToken;
      }
      return reply.header('cache-control', 'no-store').send(answer);
    }

    return oauthError(
      reply,
      400,
      'unsupported_grant_type',
      'grant_type must be authorization_code or refresh_token',
    );
  });
}
