import { randomBytes } from 'node:crypto';
import { createEmulator, type Emulator, type EmulatorOptions } from '@mtm/spotify-emulator';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PUBLIC_URL } from './config.js';

export interface TestEmulator {
  emulator: Emulator;
  base: string;
  client: { clientId: string; clientSecret: string };
}

/** An emulator on an ephemeral loopback port with one client registered for PUBLIC_URL. */
export async function startTestEmulator(
  opts: EmulatorOptions = {},
  publicUrl = PUBLIC_URL,
): Promise<TestEmulator> {
  const emulator = await createEmulator({ seed: 7, controls: true, ...opts });
  const client = {
    clientId: randomBytes(8).toString('hex'),
    clientSecret: `cs-${randomBytes(24).toString('hex')}`,
  };
  emulator.registerClient({ ...client, redirectUris: [`${publicUrl}/auth/callback`] });
  const base = (await emulator.listen({ host: '127.0.0.1', port: 0 })).replace(/\/+$/, '');
  return { emulator, base, client };
}

function setCookieHeaders(res: LightMyRequestResponse): string[] {
  const h = res.headers['set-cookie'];
  return h === undefined ? [] : Array.isArray(h) ? h : [h];
}

/** name=value pairs from a response's Set-Cookie, raw (as a browser would send them back), skipping deletions. */
export function cookiesFrom(res: LightMyRequestResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of setCookieHeaders(res)) {
    const pair = line.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (value !== '') out[name] = value;
  }
  return out;
}

export function cookieHeader(cookies: Record<string, string>): string {
  return Object.entries(cookies)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');
}

function unescapeHtml(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
}

export interface LoginTrace {
  login: LightMyRequestResponse;
  authorizeUrl: URL;
  consent: LightMyRequestResponse;
  callbackUrl: URL;
  flowCookies: Record<string, string>;
  callback: LightMyRequestResponse;
  /** the sealed session cookie value, when the login succeeded */
  session: string | null;
  /** the session cookie's name: it differs on https and in demo mode */
  sessionName: string | null;
}

/**
 * Walks the browser's path: /auth/login -> the emulator's consent page ->
 * the Agree/Cancel form post -> /auth/callback, carrying cookies like a browser.
 */
export async function walkLogin(
  app: FastifyInstance,
  emu: TestEmulator,
  opts: {
    decision?: 'agree' | 'cancel';
    account?: string;
    /** another instance answers the callback (a deployment changed during the login) */
    callbackApp?: FastifyInstance;
  } = {},
): Promise<LoginTrace> {
  const login = await app.inject('/auth/login');
  if (login.statusCode !== 302) throw new Error(`/auth/login answered ${login.statusCode}`);
  const authorizeUrl = new URL(String(login.headers.location));
  const flowCookies = cookiesFrom(login);

  const page = await emu.emulator.app.inject(authorizeUrl.pathname + authorizeUrl.search);
  if (page.statusCode !== 200)
    throw new Error(`emulator authorize answered ${page.statusCode}: ${page.body.slice(0, 200)}`);
  const form = new URLSearchParams();
  for (const m of page.body.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(m[1] as string, unescapeHtml(m[2] as string));
  }
  form.set('decision', opts.decision ?? 'agree');
  form.set('account', opts.account ?? 'listener');
  const consent = await emu.emulator.app.inject({
    method: 'POST',
    url: '/accounts/authorize',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form.toString(),
  });
  if (consent.statusCode !== 302)
    throw new Error(
      `emulator consent answered ${consent.statusCode}: ${consent.body.slice(0, 200)}`,
    );
  const callbackUrl = new URL(String(consent.headers.location));

  const callback = await (opts.callbackApp ?? app).inject({
    url: callbackUrl.pathname + callbackUrl.search,
    headers: { cookie: cookieHeader(flowCookies) },
  });
  const set = cookiesFrom(callback);
  const sessionName = Object.keys(set).find((n) => /^(__Host-)?mtm_(demo_)?session$/.test(n));
  return {
    login,
    authorizeUrl,
    consent,
    callbackUrl,
    flowCookies,
    callback,
    session: sessionName === undefined ? null : (set[sessionName] ?? null),
    sessionName: sessionName ?? null,
  };
}
