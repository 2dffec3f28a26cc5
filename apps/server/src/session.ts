import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { createSealer, deriveKey } from './seal.js';

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
}

export type SessionRead =
  { state: 'none' } | { state: 'invalid' } | { state: 'ok'; session: Session };

export interface SessionPluginOptions {
  key: Buffer;
  secure: boolean;
  cookieName?: string;
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
// Spotify's refresh tokens die 6 months after consent whatever happens in between.
// The cookie outlives that by a month so the next /auth/token can still say
// AUTH_EXPIRED ("your connection expired") rather than a bare NOT_CONNECTED,
// then it goes; counted on the wall clock, as browsers count it.
const COOKIE_LIFETIME_MS = (183 + 30) * 24 * 3600_000;

function maxAgeSeconds(consentAt: number): number {
  return Math.max(60, Math.ceil((consentAt + COOKIE_LIFETIME_MS - Date.now()) / 1000));
}

type Wire = { rt: string; at: string; exp: number; sc: string; cat: number };

function fromWire(v: unknown): Session | null {
  if (v === null || typeof v !== 'object') return null;
  const w = v as Partial<Wire>;
  if (typeof w.rt !== 'string' || typeof w.at !== 'string' || typeof w.sc !== 'string') return null;
  if (typeof w.exp !== 'number' || typeof w.cat !== 'number') return null;
  return { refreshToken: w.rt, accessToken: w.at, expiresAt: w.exp, scope: w.sc, consentAt: w.cat };
}

function toWire(s: Session): Wire {
  return { rt: s.refreshToken, at: s.accessToken, exp: s.expiresAt, sc: s.scope, cat: s.consentAt };
}

function sealerFor(key: Buffer, cookieName: string) {
  return createSealer(key, `cookie ${cookieName}`);
}

/** The cookie value the plugin would write; lets tests and tools mint a session without a login. */
export function sealSession(key: Buffer, session: Session, cookieName = SESSION_COOKIE): string {
  return sealerFor(key, cookieName).seal(toWire(session));
}

/** The inverse of sealSession, for tests and diagnostics; null when the value is not ours. */
export function openSession(
  key: Buffer,
  value: string,
  cookieName = SESSION_COOKIE,
): Session | null {
  return fromWire(sealerFor(key, cookieName).unseal(value));
}

const sessionPlugin: FastifyPluginAsync<SessionPluginOptions> = async (app, opts) => {
  if (!Buffer.isBuffer(opts.key) || opts.key.length < 32) {
    throw new Error(
      'session plugin: options.key must be a Buffer of at least 32 bytes (SESSION_KEY)',
    );
  }
  if (typeof opts.secure !== 'boolean')
    throw new Error('session plugin: options.secure must be a boolean');
  const name = opts.cookieName ?? SESSION_COOKIE;
  const sealer = sealerFor(opts.key, name);
  const cookieOptions = {
    path: '/auth',
    httpOnly: true,
    sameSite: 'lax',
    secure: opts.secure,
  } as const;

  // The signing secret is used by @fastify/oauth2 for its state and PKCE cookies.
  await app.register(fastifyCookie, {
    secret: deriveKey(opts.key, 'cookie signing').toString('base64url'),
  });

  app.decorateRequest('readSession', function (): SessionRead {
    const raw = this.cookies[name];
    if (raw === undefined) return { state: 'none' };
    const session = fromWire(sealer.unseal(raw));
    return session === null ? { state: 'invalid' } : { state: 'ok', session };
  });
  app.decorateReply('writeSession', function (s: Session) {
    return this.setCookie(name, sealer.seal(toWire(s)), {
      ...cookieOptions,
      maxAge: maxAgeSeconds(s.consentAt),
    });
  });
  app.decorateReply('clearSession', function () {
    return this.clearCookie(name, cookieOptions);
  });
};

export default fp(sessionPlugin, { name: 'mtm-session', fastify: '5.x' });
