import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface StaticFilesOptions {
  /** apps/web/build: adapter-static output with index.html as the SPA fallback */
  root: string;
  /** Demo mode: the app's pages say so from their first paint (DEMO_HINT_COOKIE). */
  demo?: boolean;
  /** https: the hint cookie is Secure */
  secure?: boolean;
}

/**
 * Not a secret and not a session: tells the app's first paint that this
 * server runs the demo, before /api/config has answered, so the demo banner
 * is there from the start and nothing moves when it would otherwise arrive
 * (layout shift). Set on every page (HTML) answer in demo mode, cleared on
 * one when the server is not in demo mode. The app reads it with
 * document.cookie, so it is not HttpOnly.
 */
export const DEMO_HINT_COOKIE = 'mtm-demo';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const NO_CACHE = 'no-cache';

/**
 * Vite puts a content hash in every file name under _app/immutable, so a
 * year of caching is safe there. Everything else keeps its name across
 * releases (index.html, the service worker, its workbox runtime, the
 * manifest, _app/version.json, icons) and must be revalidated, or a phone
 * would keep an old service worker that pins an old app.
 */
export function cacheControlFor(relativePath: string): string {
  const p = relativePath.split(sep).join('/');
  return p.startsWith('_app/immutable/') ? IMMUTABLE : NO_CACHE;
}

const SERVER_PREFIXES = ['/auth', '/api', '/sync'];

/** Paths the app's router owns; /auth, /api and /sync belong to the server and answer JSON 404s. */
export function isSpaPath(url: string): boolean {
  const path = url.split('?')[0] ?? '/';
  if (SERVER_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

export function missingBuildMessage(root: string): string {
  return (
    `The web app has not been built: ${root}/index.html does not exist.\n` +
    'Run `npm start` from the repository root: it builds apps/web and then starts this server.\n'
  );
}

function notFound(req: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({
    code: 'NOT_FOUND',
    message: 'no such path on this server',
    path: req.url.split('?')[0],
  });
}

const staticFilesPlugin: FastifyPluginAsync<StaticFilesOptions> = async (app, opts) => {
  if (typeof opts.root !== 'string' || opts.root === '')
    throw new Error('static plugin: options.root must be the web build directory');

  if (!existsSync(`${opts.root}/index.html`)) {
    app.log.warn({ root: opts.root }, 'web build missing: run `npm start` to build it');
    app.setNotFoundHandler((req, reply) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || !isSpaPath(req.url))
        return notFound(req, reply);
      return reply
        .code(503)
        .header('cache-control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(missingBuildMessage(opts.root));
    });
    return;
  }

  // the hint rides on the page itself, so it is there before the app's first script runs
  app.addHook('onSend', async (req, reply, payload) => {
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    const cookie = { path: '/', sameSite: 'lax' as const, secure: opts.secure ?? false };
    if (opts.demo) reply.setCookie(DEMO_HINT_COOKIE, '1', cookie);
    else if (req.cookies[DEMO_HINT_COOKIE] !== undefined)
      reply.clearCookie(DEMO_HINT_COOKIE, cookie);
    return payload;
  });

  await app.register(fastifyStatic, {
    root: opts.root,
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    dotfiles: 'ignore',
    // apps/web's build writes x.br and x.gz beside its text files (scripts/precompress.mjs):
    // served by Accept-Encoding, brotli first, with the original's Content-Type, a
    // Content-Encoding, and Vary: Accept-Encoding on every answer (compressed or not) so no
    // shared cache hands one client the encoding another asked for. The SPA fallback's
    // sendFile('index.html') goes through the same choice. Nothing is compressed per request.
    preCompressed: true,
    setHeaders: (reply, path) => {
      reply.header('cache-control', cacheControlFor(relative(opts.root, path)));
    },
  });

  app.setNotFoundHandler((req, reply) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isSpaPath(req.url))
      return notFound(req, reply);
    return reply.header('cache-control', NO_CACHE).sendFile('index.html');
  });
};

export default fp(staticFilesPlugin, { name: 'mtm-static', fastify: '5.x' });
