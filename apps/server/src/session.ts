import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createSealer, deriveKey, keyList } from './seal.js';

/**
 * The whole server-side state of a connection, carried by the browser in one
 * sealed cookie. Nothing is kept in memory or in a store, so any instance that
 * holds the same SESSION_KEY can answer any request.
 */
export interface Session {
  refreshToken: string;
  accessToken: string;
  /** ms epoch at which Spotify stops accepting accessToken */
  expiresAt: number;
  scope: string;
  /** ms epoch of the user's consent: Spotify refresh tokens die 6 months after it */
  consentAt: number;
  /**
   * The Spotify account id, learned by the server itself at the callback (GET /me
   * with the fresh token), never from a request: the sync relay's namespace.
   * Absent when /me failed at login, and in sessions sealed before it was kept.
   */
  accountId?: string;
}

export type SessionRead =
  | { state: 'none' }
  /** not sealed by any configured key (tampered, or sealed under a key no longer listed) */
  | { state: 'invalid' }
  /** consented longer ago than a refresh token lives: refused whatever the cookie's Max-Age */
  | { state: 'expired' }
  /**
   * `current` false: sealed by an older key, or in an older layout; writing it
   * again moves it to the newest key and to today's cookie path
   */
  | { state: 'ok'; session: Session; current: boolean };

export interface SessionPluginOptions {
  /** SESSION_KEY's keys, newest first: cookies are sealed with the first, opened with any */
  keys: Buffer[];
  secure: boolean;
  /** the clock that decides whether a session outlived its refresh token */
  now: () => number;
  /** demo mode keeps its session in a cookie of its own (see sessionCookieName) */
  demo?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    readSession(): SessionRead;
  }
  interface FastifyReply {
    writeSession(session: Session): FastifyReply;
    clearSession(): FastifyReply;
  }
}

export const SESSION_COOKIE = 'mtm_session';
export const DEMO_SESSION_COOKIE = 'mtm_demo_session';

/**
 * The session cookie's name. On https it carries the __Host- prefix: browsers
 * then only accept it Secure, host-only and Path=/, so a sibling subdomain
 * (or a plain-http answer forged on the path) cannot plant a session of its
 * choosing, its own account's, to read what this browser syncs. The prefix
 * needs Secure, which plain http cannot have: on http://127.0.0.1 (a person's
 * own machine) the name stays unprefixed.
 * Demo mode has a name of its own, so running the demo on the same origin
 * never overwrites or clears a real connection.
 */
export function sessionCookieName(opts: { secure: boolean; demo: boolean }): string {
  const name = opts.demo ? DEMO_SESSION_COOKIE : SESSION_COOKIE;
  return opts.secure ? `__Host-${name}` : name;
}
const DAY_MS = 24 * 3600_000;
/**
 * Spotify's refresh tokens die 6 months after consent whatever happens in
 * between. Six calendar months are at most 184 days: the server refuses a
 * session older than that itself (a cookie's Max-Age is only a request to the
 * browser, and a copied cookie has none), and never refuses one Spotify would
 * still honour.
 */
export const REFRESH_TOKEN_LIFE_MS = 184 * DAY_MS;
// The cookie outlives the refresh token by a month so the next /auth/token can
// still say AUTH_EXPIRED ("your connection expired") rather than a bare
// NOT_CONNECTED, then it goes; counted on the wall clock, as browsers count it.
const COOKIE_LIFETIME_MS = REFRESH_TOKEN_LIFE_MS + 30 * DAY_MS;

function maxAgeSeconds(consentAt: number): number {
  return Math.max(60, Math.ceil((consentAt + COOKIE_LIFETIME_MS - Date.now()) / 1000));
}

/**
 * `aid` is always written (null when the account id is unknown), so a cookie
 * without the key was sealed before account ids and before the session
 * cookie moved to Path=/ on http: it reads as not current, and the next
 * /auth/token seals it again under the new path.
 */
type Wire = { rt: string; at: string; exp: number; sc: string; cat: number; aid?: string | null };

function fromWire(v: unknown): { session: Session; layoutCurrent: boolean } | null {
  if (v === null || typeof v !== 'object') return null;
  const w = v as Partial<Wire>;
  if (typeof w.rt !== 'string' || typeof w.at !== 'string' || typeof w.sc !== 'string') return null;
  if (typeof w.exp !== 'number' || typeof w.cat !== 'number') return null;
  if (w.aid !== undefined && w.aid !== null && (typeof w.aid !== 'string' || w.aid === ''))
    return null;
  const session: Session = {
    refreshToken: w.rt,
    accessToken: w.at,
    expiresAt: w.exp,
    scope: w.sc,
    consentAt: w.cat,
    ...(typeof w.aid === 'string' ? { accountId: w.aid } : {}),
  };
  return { session, layoutCurrent: 'aid' in w };
}

function toWire(s: Session): Wire {
  return {
    rt: s.refreshToken,
    at: s.accessToken,
    exp: s.expiresAt,
    sc: s.scope,
    cat: s.consentAt,
    aid: s.accountId ?? null,
  };
}

function sealerFor(keys: Buffer | Buffer[], cookieName: string) {
  return createSealer(keys, `cookie ${cookieName}`);
}

/** The cookie value the plugin would write (with the first key); lets tests and tools mint a session without a login. */
export function sealSession(
  keys: Buffer | Buffer[],
  session: Session,
  cookieName = SESSION_COOKIE,
): string {
  return sealerFor(keys, cookieName).seal(toWire(session));
}

/** The inverse of sealSession, for tests and diagnostics; null when the value is not ours. */
export function openSession(
  keys: Buffer | Buffer[],
  value: string,
  cookieName = SESSION_COOKIE,
): Session | null {
  return fromWire(sealerFor(keys, cookieName).unseal(value))?.session ?? null;
}

const sessionPlugin: FastifyPluginAsync<SessionPluginOptions> = async (app, opts) => {
  const keys = keyList(opts.keys, 'session plugin: options.keys (SESSION_KEY, newest first)');
  if (typeof opts.secure !== 'boolean')
    throw new Error('session plugin: options.secure must be a boolean');
  if (typeof opts.now !== 'function')
    throw new Error('session plugin: options.now must be a function returning ms');
  const now = opts.now;
  const name = sessionCookieName({ secure: opts.secure, demo: opts.demo === true });
  const sealer = sealerFor(keys, name);
  const cookieOptions = {
    // Path=/ on https (__Host- requires it) and on http alike: /auth/* and the sync relay
    // under /sync both read it.
    path: '/',
    httpOnly: true,
    // Strict: no request started on another site carries it. Only /auth/token, /auth/logout
    // and /sync read it, all fetched by our own pages; the callback only writes it, and a
    // browser stores a Strict cookie from the answer to a cross-site top-level navigation (the
    // way back from Spotify). The login's state and verifier cookies stay Lax: they must be
    // *sent* on that navigation.
    sameSite: 'strict',
    secure: opts.secure,
  } as const;
  // Before the relay, the http cookie lived at Path=/auth. A browser holding both would send
  // the stale /auth one first to /auth/token, so every write and clear also removes it.
  const legacyHttpCookie = opts.secure ? null : { ...cookieOptions, path: '/auth' };

  // The signing secrets are used by @fastify/oauth2 for its state and PKCE cookies: signed
  // with the newest key, accepted under any, so a login begun before a rotation still ends.
  await app.register(fastifyCookie, {
    secret: keys.map((k) => deriveKey(k, 'cookie signing').toString('base64url')),
  });

  app.decorateRequest('readSession', function (): SessionRead {
    const raw = this.cookies[name];
    if (raw === undefined) return { state: 'none' };
    const opened = sealer.open(raw);
    const read = opened && fromWire(opened.value);
    if (!opened || read === null) return { state: 'invalid' };
    const { session, layoutCurrent } = read;
    if (now() - session.consentAt > REFRESH_TOKEN_LIFE_MS) return { state: 'expired' };
    return { state: 'ok', session, current: opened.current && layoutCurrent };
  });
  app.decorateReply('writeSession', function (s: Session) {
    this.setCookie(name, sealer.seal(toWire(s)), {
      ...cookieOptions,
      maxAge: maxAgeSeconds(s.consentAt),
    });
    return legacyHttpCookie ? this.clearCookie(name, legacyHttpCookie) : this;
  });
  app.decorateReply('clearSession', function () {
    this.clearCookie(name, cookieOptions);
    return legacyHttpCookie ? this.clearCookie(name, legacyHttpCookie) : this;
  });
};

export default fp(sessionPlugin, { name: 'mtm-session', fastify: '5.x' });
