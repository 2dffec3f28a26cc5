import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { type AppConfig, checkAppConfig, DEFAULT_RATE_LIMIT } from './app-config.js';
import appRoutes from './app-routes.js';
import { type LogOptions, loggerOptions } from './logger.js';
import oauth from './oauth.js';
import sameOrigin from './same-origin.js';
import type { SyncStore } from './sync/sync-store.js';
import securityHeaders from './security-headers.js';
import session from './session.js';
import staticFiles from './static-files.js';
import { openSyncStore } from './sync/open-store.js';
import syncRelay from './sync/relay.js';
import tokenRoute from './token-route.js';

export interface BuildOptions {
  /** false silences the logger (the bench); default logs at info to stdout */
  logger?: false | LogOptions;
  /** the clock deciding whether a cached access token is still warm */
  now?: () => number;
  /** ms before a call to the accounts service counts as unreachable */
  accountsTimeoutMs?: number;
}

const HEALTH_PATH = '/healthz';

/**
 * TRUST_PROXY as a function, not a number: Fastify 5.12 reads a numeric
 * trustProxy as "trust nothing" (it cannot check the peer), so a hop count
 * handed over as a number would silently leave every client behind a proxy
 * sharing the proxy's rate-limit budget. proxy-addr calls this with hop index
 * i = 0 for the socket's peer, 1 for the last X-Forwarded-For entry, and so on:
 * trusting i < hops makes request.ip the address the outermost of our proxies
 * saw, and nothing a client writes into the header itself. Like every hop
 * count, it assumes clients cannot reach the server except through those proxies.
 */
function trustHops(hops: number): false | ((addr: string, i: number) => boolean) {
  return hops > 0 ? (_addr, i) => i < hops : false;
}

function rateLimited(retryAfterMs: number) {
  return Object.assign(new Error('rate limited'), {
    statusCode: 429,
    code: 'RATE_LIMITED',
    retryAfterMs,
  });
}

/**
 * Settings that only reach the browser through /api/config. Optional here so
 * that callers building an AppConfig without them keep working: absent means
 * the default, false.
 */
export interface BrowserSettings {
  /** Ask Spotify's own /audio-features first (SPOTIFY_AUDIO_FEATURES=on, extended-quota apps) */
  spotifyAudioFeatures?: boolean;
}

/** The whole server without a port: tests drive it with app.inject(), main.ts listens. */
export async function buildApp(
  input: AppConfig & BrowserSettings,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const config = checkAppConfig(input);
  const spotifyAudioFeatures = input.spotifyAudioFeatures ?? false;
  const now = options.now ?? Date.now;
  const https = config.publicUrl.startsWith('https:');

  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(options.logger),
    trustProxy: trustHops(config.trustProxy),
    bodyLimit: 4096,
    logController: new LogController({
      disableRequestLogging: (req: { url?: string }) => req.url === HEALTH_PATH,
    }),
  });

  // The relay's storage is opened before any route exists, so a database that cannot be
  // reached stops the start with its reason, and closes with the server.
  let syncStore: SyncStore | null = null;
  if (config.sync) {
    const store = await openSyncStore(config.sync, {
      onIdleError: (err) =>
        app.log.warn(
          { event: 'sync_storage_connection_lost', errName: err.name },
          'sync storage: an idle PostgreSQL connection was lost (the pool reconnects)',
        ),
    });
    app.addHook('onClose', async () => store.close());
    syncStore = store;
  }

  app.setErrorHandler((err: FastifyError & { retryAfterMs?: number }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 429)
      return reply.code(429).send({ code: 'RATE_LIMITED', retryAfterMs: err.retryAfterMs ?? null });
    if (status >= 400 && status < 500) return reply.code(status).send({ code: 'BAD_REQUEST' });
    // name and message only: a raw error object may hold request headers
    req.log.error(
      { event: 'unhandled_error', errName: err.name, errMessage: err.message },
      'unhandled error',
    );
    return reply.code(500).send({ code: 'INTERNAL' });
  });

  // Health checks come from load balancers and monitors, not browsers: the route lives
  // in the root context, outside the cookie, origin, rate-limit and security-header
  // plugins, and out of the info log.
  // Its request logger is the server's own (no per-request child, whose level
  // override would make pino rebuild every log method on each call).
  app.get(HEALTH_PATH, { childLoggerFactory: (logger) => logger }, async (_req, reply) => {
    return reply.header('cache-control', 'no-store').send({ ok: true });
  });

  // Everything a browser talks to shares one context with the browser-facing plugins.
  const browserFacing = app.register(async (web) => {
    await web.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, ctx) => rateLimited(ctx.ttl),
    });
    await web.register(securityHeaders, {
      webBuildDir: config.webBuildDir,
      connectOrigins: [config.apiUrl, ...(config.featuresUrl ? [config.featuresUrl] : [])],
      imageOrigins: config.imageOrigins,
      formActionOrigins: [config.accountsUrl],
      https,
    });
    await web.register(sameOrigin, { origin: config.publicUrl });
    await web.register(session, {
      keys: config.sessionKeys,
      secure: https,
      now,
      demo: config.demo,
    });
    await web.register(oauth, {
      clientId: config.clientId,
      clientSecret: config.clientSecret,
      accountsUrl: config.accountsUrl,
      apiUrl: config.apiUrl,
      publicUrl: config.publicUrl,
      secure: https,
      now,
      rateLimitPerMinute: config.rateLimit.authPerMinute,
      ...(options.accountsTimeoutMs !== undefined ? { timeoutMs: options.accountsTimeoutMs } : {}),
    });
    await web.register(tokenRoute, { now, rateLimitPerMinute: config.rateLimit.tokenPerMinute });
    if (syncStore)
      await web.register(syncRelay, {
        prefix: '/sync',
        store: syncStore,
        quotaBytes: (config.sync as NonNullable<AppConfig['sync']>).quotaBytes,
        requestsPerMinute: config.rateLimit.syncPerMinute ?? DEFAULT_RATE_LIMIT.syncPerMinute,
      });
    await web.register(appRoutes, {
      demo: config.demo,
      apiBaseUrl: config.apiUrl,
      featuresBaseUrl: config.featuresUrl,
      spotifyAudioFeatures,
      imageOrigins: config.imageOrigins,
    });
    await web.register(staticFiles, { root: config.webBuildDir, demo: config.demo, secure: https });
  });
  try {
    await browserFacing;
  } catch (err) {
    // the storage opened above holds connections (or a file): give them back
    await app.close().catch(() => undefined);
    throw err;
  }
  return app;
}
