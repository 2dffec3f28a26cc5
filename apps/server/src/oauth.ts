import { timingSafeEqual } from 'node:crypto';
import { fastifyOauth2, type OAuth2Namespace } from '@fastify/oauth2';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AccountsError, toAccountsError } from './accounts-error.js';

/** Exactly the scopes in API-NOTES: reading top items and recent plays, writing the playlists we push. */
export const SCOPES = [
  'user-top-read',
  'user-read-recently-played',
  'playlist-modify-private',
  'playlist-modify-public',
] as const;

export interface TokenSet {
  accessToken: string;
  /** absent when Spotify did not rotate it */
  refreshToken: string | null;
  expiresAt: number;
  scope: string;
}

export interface OauthPluginOptions {
  clientId: string;
  clientSecret: string;
  /** e.g. https://accounts.spotify.com, or the emulator's `${base}/accounts` */
  accountsUrl: string;
  /** the Web API, e.g. https://api.spotify.com/v1: the callback asks its /me for the account id */
  apiUrl: string;
  publicUrl: string;
  secure: boolean;
  now: () => number;
  rateLimitPerMinute: number;
  /** how long a call to the accounts service may take before it counts as unreachable */
  timeoutMs?: number;
}

export interface SpotifyAccounts {
  /** The only way anything reaches the token endpoint after login; errors are always AccountsError. */
  refresh(refreshToken: string): Promise<TokenSet>;
}

declare module 'fastify' {
  interface FastifyInstance {
    spotifyAccounts: SpotifyAccounts;
  }
}

const OAUTH_NAME = 'spotifyOAuth2';
// long enough for a Spotify login with a forgotten password, short enough not to linger
const FLOW_COOKIE_MAX_AGE_S = 3600;

/** Where the accounts service's two endpoints live, under any base path (the emulator mounts it at /accounts). */
export function accountsEndpoints(accountsUrl: string) {
  const url = new URL(accountsUrl);
  const base = url.pathname.replace(/\/+$/, '');
  return { host: url.origin, authorizePath: `${base}/authorize`, tokenPath: `${base}/api/token` };
}

function tokenSetFrom(raw: Record<string, unknown>, now: number): TokenSet {
  const { access_token, refresh_token, expires_in, scope } = raw;
  if (typeof access_token !== 'string' || access_token === '')
    throw new AccountsError('UPSTREAM', 200, null);
  const seconds = typeof expires_in === 'number' ? expires_in : Number(expires_in);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new AccountsError('UPSTREAM', 200, null);
  return {
    accessToken: access_token,
    refreshToken: typeof refresh_token === 'string' && refresh_token !== '' ? refresh_token : null,
    // from our own clock, not simple-oauth2's expires_at, so tests and the bench can move time
    expiresAt: now + seconds * 1000,
    scope: typeof scope === 'string' ? scope : '',
  };
}

/**
 * The Spotify account id behind a fresh access token: one GET {apiUrl}/me.
 * The sync relay's namespace comes from here and nowhere else, so a request
 * can never name the account it reads. A failure does not stop the login
 * (a user outside a development-mode app's allow-list gets 403 here, and the
 * app explains that itself); the session then has no id, and /sync asks to
 * connect again.
 */
async function fetchAccountId(
  apiUrl: string,
  accessToken: string,
  timeoutMs: number,
): Promise<{ id: string } | { status: number | null }> {
  try {
    const res = await fetch(`${apiUrl}/me`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { status: res.status };
    }
    const me = (await res.json()) as { id?: unknown };
    const id = me?.id;
    return typeof id === 'string' && id.length > 0 && id.length <= 256 && !/\p{Cc}/u.test(id)
      ? { id }
      : { status: res.status };
  } catch {
    return { status: null };
  }
}

/** Only lowercase words go into the redirect, so nothing the accounts service echoes can be injected. */
function errorWord(v: unknown): string {
  return typeof v === 'string' && /^[a-z_]{1,40}$/.test(v) ? v : 'unknown';
}

const oauthPlugin: FastifyPluginAsync<OauthPluginOptions> = async (app, opts) => {
  for (const k of ['clientId', 'clientSecret', 'accountsUrl', 'apiUrl', 'publicUrl'] as const) {
    if (typeof opts[k] !== 'string' || opts[k] === '')
      throw new Error(`oauth plugin: options.${k} must be a non-empty string`);
  }
  if (typeof opts.now !== 'function')
    throw new Error('oauth plugin: options.now must be a function returning ms');
  if (!app.hasRequestDecorator('readSession'))
    throw new Error('oauth plugin: register the session plugin first');
  const endpoints = accountsEndpoints(opts.accountsUrl);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const apiUrl = opts.apiUrl.replace(/\/+$/, '');
  const callbackUri = `${opts.publicUrl}/auth/callback`;

  await app.register(fastifyOauth2, {
    name: OAUTH_NAME,
    scope: [...SCOPES],
    credentials: {
      client: { id: opts.clientId, secret: opts.clientSecret },
      auth: {
        tokenHost: endpoints.host,
        tokenPath: endpoints.tokenPath,
        authorizeHost: endpoints.host,
        authorizePath: endpoints.authorizePath,
      },
      // Spotify wants the client credentials in a Basic Authorization header, form body
      options: { authorizationMethod: 'header', bodyFormat: 'form' },
      http: { timeout: timeoutMs },
    },
    callbackUri,
    pkce: 'S256',
    // signed with a key derived from SESSION_KEY, so a cookie planted by someone else fails the state check
    cookie: {
      path: '/auth',
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secure,
      signed: true,
      maxAge: FLOW_COOKIE_MAX_AGE_S,
    },
    // __Host- needs https; on http://127.0.0.1 the plain names are the only ones browsers keep
    hostPrefixedCookies: opts.secure,
    userAgent: 'music-time-machine',
  });
  const oauth = (app as unknown as Record<string, OAuth2Namespace>)[OAUTH_NAME] as OAuth2Namespace;
  // the names and path @fastify/oauth2 uses for its state and PKCE cookies, so a denied login leaves none behind
  const stateCookie = opts.secure ? '__Host-oauth2-redirect-state' : 'oauth2-redirect-state';
  const flowCookies = [
    stateCookie,
    opts.secure ? '__Host-oauth2-code-verifier' : 'oauth2-code-verifier',
  ];
  const flowCookieOptions = {
    path: opts.secure ? '/' : '/auth',
    secure: opts.secure,
    httpOnly: true,
    sameSite: 'lax',
  } as const;
  const routeConfig = {
    config: { rateLimit: { max: opts.rateLimitPerMinute, timeWindow: 60_000 } },
  };

  /** The check @fastify/oauth2 makes before a code exchange, for replies that carry no code. */
  function stateMatches(req: FastifyRequest, state: unknown): boolean {
    const raw = req.cookies[stateCookie];
    if (typeof state !== 'string' || raw === undefined) return false;
    const signed = req.unsignCookie(raw);
    if (!signed.valid || signed.value === null) return false;
    const a = Buffer.from(signed.value);
    const b = Buffer.from(state);
    return a.length === b.length && timingSafeEqual(a, b);
  }
  const refuseState = (req: FastifyRequest) =>
    req.log.warn(
      { event: 'oauth_state_mismatch' },
      'login callback with a state that does not match its cookie',
    );

  app.get(
    '/auth/login',
    routeConfig,
    async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
      const uri = new URL(await oauth.generateAuthorizationUri(req, reply));
      // "Connect another account" (/auth/login?another=1): without show_dialog, Spotify skips
      // its page for a browser that is logged in and has approved us before, and quietly
      // connects the same account again; with it, the page shows and offers "Not you?".
      if (req.query.another === '1') uri.searchParams.set('show_dialog', 'true');
      return reply.header('cache-control', 'no-store').redirect(uri.href);
    },
  );

  app.get(
    '/auth/callback',
    routeConfig,
    async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
      reply.header('cache-control', 'no-store');
      const toConnect = (error: string) =>
        reply.redirect(`/connect?error=${encodeURIComponent(error)}`);
      const { error, code, state } = req.query;
      if (error !== undefined) {
        // An error reply proves nothing until its state matches this browser's flow: any page
        // can send a browser to /auth/callback?error=access_denied. Refused like any bad state,
        // and the flow cookies of a login really in progress are left alone.
        if (!stateMatches(req, state)) {
          refuseState(req);
          return toConnect('state_mismatch');
        }
        for (const name of flowCookies) reply.clearCookie(name, flowCookieOptions);
        return toConnect(errorWord(error));
      }
      if (typeof code !== 'string' || typeof state !== 'string')
        return toConnect('invalid_request');

      let raw: Record<string, unknown>;
      try {
        // checks the state against its signed cookie, sends the PKCE verifier, clears both cookies
        const token = await oauth.getAccessTokenFromAuthorizationCodeFlow(req, reply);
        raw = token.token as unknown as Record<string, unknown>;
      } catch (err) {
        if (err instanceof Error && err.message === 'Invalid state') {
          refuseState(req);
          return toConnect('state_mismatch');
        }
        const e = toAccountsError(err);
        req.log.warn(
          {
            event: 'oauth_code_exchange_failed',
            reason: e.code,
            status: e.status,
            oauthError: e.oauthError,
          },
          e.message,
        );
        // a dead code here means a reloaded or stale callback page, not an expired connection:
        // 'invalid_code' keeps the app from showing "your connection expired"
        return toConnect(
          e.code === 'INVALID_GRANT'
            ? 'invalid_code'
            : e.code === 'REJECTED'
              ? 'rejected'
              : 'upstream',
        );
      }
      let tokens: TokenSet;
      try {
        tokens = tokenSetFrom(raw, opts.now());
      } catch {
        return toConnect('upstream');
      }
      if (tokens.refreshToken === null) return toConnect('upstream');
      const me = await fetchAccountId(apiUrl, tokens.accessToken, timeoutMs);
      if (!('id' in me))
        req.log.warn(
          { event: 'account_id_unavailable', status: me.status },
          'GET /me failed at login: connected without an account id, so sync stays off until the next login',
        );
      reply.writeSession({
        refreshToken: tokens.refreshToken,
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        scope: tokens.scope,
        consentAt: opts.now(),
        ...('id' in me ? { accountId: me.id } : {}),
      });
      req.log.info({ event: 'connected' }, 'Spotify connected');
      return reply.redirect('/?connected=1');
    },
  );

  // Two tabs (or two retries) refreshing with the same token share one call:
  // with rotation, the second call would otherwise spend a token the first one just replaced.
  const inFlight = new Map<string, Promise<TokenSet>>();
  const spotifyAccounts: SpotifyAccounts = {
    refresh(refreshToken) {
      const pending = inFlight.get(refreshToken);
      if (pending) return pending;
      const p = (async () => {
        try {
          const t = await oauth.getNewAccessTokenUsingRefreshToken(
            {
              refresh_token: refreshToken,
              access_token: '',
              token_type: 'Bearer',
              expires_in: 0,
            } as never,
            {},
          );
          return tokenSetFrom(t.token as unknown as Record<string, unknown>, opts.now());
        } catch (err) {
          throw toAccountsError(err);
        }
      })().finally(() => inFlight.delete(refreshToken));
      inFlight.set(refreshToken, p);
      return p;
    },
  };
  app.decorate('spotifyAccounts', spotifyAccounts);
};

export default fp(oauthPlugin, {
  name: 'mtm-oauth',
  fastify: '5.x',
  dependencies: ['mtm-session'],
});
