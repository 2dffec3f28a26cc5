import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface SameOriginOptions {
  /** the one origin allowed to change state, PUBLIC_URL's */
  origin: string;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/**
 * SameSite=Strict already keeps the session cookie off cross-site requests in
 * today's browsers; this check is the second lock for older browsers and for
 * same-site-but-cross-origin pages (another port on 127.0.0.1 is same-site).
 * A request carrying neither Origin nor Referer is refused: every browser
 * sends Origin on a POST fetch, so only non-browser clients lack both.
 */
const sameOriginPlugin: FastifyPluginAsync<SameOriginOptions> = async (app, opts) => {
  const expected = originOf(opts.origin);
  if (expected === null || expected === 'null') {
    throw new Error(
      `same-origin plugin: options.origin must be an absolute http(s) URL, got ${JSON.stringify(opts.origin)}`,
    );
  }
  // a callback hook, not an async one: it runs on every request and needs no promise
  app.addHook('onRequest', (req, reply, done) => {
    if (SAFE.has(req.method)) return done();
    const origin = req.headers.origin;
    const seen = origin !== undefined ? originOf(origin) : originOf(req.headers.referer);
    if (seen !== expected) {
      reply.code(403).send({
        code: 'CROSS_ORIGIN',
        message: "this request must come from the app's own pages (PUBLIC_URL's origin)",
      });
      return;
    }
    done();
  });
};

export default fp(sameOriginPlugin, { name: 'mtm-same-origin', fastify: '5.x' });
