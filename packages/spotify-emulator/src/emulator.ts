import { Socket } from 'node:net';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { accountsRoutes } from './accounts.js';
import { type Clock, createClock } from './clock.js';
import { controlRoutes } from './controls.js';
import { applyFault, brokenStream } from './faults.js';
import { imageRoutes } from './images.js';
import { listenerFor } from './listener.js';
import { rngFor } from './random.js';
import { RateLimiter, type RateLimitSettings } from './rate-limit.js';
import { reccobeatsRoutes } from './reccobeats.js';
import { redirectUriProblem } from './redirect-uri.js';
import {
  type EmulatorClient,
  type EmulatorState,
  type FeaturesMode,
  type RotateRefreshToken,
  countRequest,
} from './state.js';
import { createUsers } from './users.js';
import { authenticate } from './api-auth.js';
import { apiError, errorBody } from './api-errors.js';
import { webApiRoutes } from './web-api.js';

export type { EmulatorClient } from './state.js';

export interface EmulatorOptions {
  /** Default 42; everything the listener does is deterministic from it. */
  seed?: number;
  /** Initial emulator clock, ms epoch; default Date.now(). */
  startTime?: number;
  /** Enable /_emulator/* control endpoints (default false: they answer 404). */
  controls?: boolean;
  /** Default 'development': /v1/audio-features answers 403. */
  featuresMode?: FeaturesMode;
  /** Default 183 days of emulator time, counted from consent. */
  refreshTokenLifetimeMs?: number;
  /** Default 3600. */
  accessTokenLifetimeS?: number;
  /** Default 'sometimes'. */
  rotateRefreshToken?: RotateRefreshToken;
  clients?: EmulatorClient[];
  logger?: boolean;
  /** A rolling-window limit per client id on /v1 (off by default); also settable at /_emulator/rate-limit. */
  rateLimit?: RateLimitSettings;
}

export interface Emulator {
  /** Usable with app.inject() before or without listen(). */
  app: FastifyInstance;
  clock: Clock;
  registerClient(c: EmulatorClient): void;
  /** Resolves the base URL, e.g. "http://127.0.0.1:8889". Defaults: host 127.0.0.1, port 0 (any free port). */
  listen(opts?: { host?: string; port?: number }): Promise<string>;
  close(): Promise<void>;
}

const DAY = 86_400_000;
const FAULTY_PREFIXES = ['/v1/', '/reccobeats/'];

function isFaultable(url: string): boolean {
  return FAULTY_PREFIXES.some((p) => url.startsWith(p));
}

export async function createEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  const seed = opts.seed ?? 42;
  const state: EmulatorState = {
    seed,
    clock: createClock(opts.startTime ?? Date.now()),
    listener: listenerFor(seed),
    users: createUsers(seed),
    clients: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    playlists: [],
    featuresMode: opts.featuresMode ?? 'development',
    faults: null,
    rateLimiter: opts.rateLimit ? new RateLimiter(opts.rateLimit) : null,
    requestCounts: new Map(),
    refreshTokenLifetimeMs: opts.refreshTokenLifetimeMs ?? 183 * DAY,
    accessTokenLifetimeS: opts.accessTokenLifetimeS ?? 3600,
    rotateRefreshToken: opts.rotateRefreshToken ?? 'sometimes',
    rotationRandom: rngFor(seed, 'rotation'),
    listenUrl: null,
  };

  const registerClient = (c: EmulatorClient) => {
    if (!c.clientId || !c.clientSecret)
      throw new Error('registerClient: clientId and clientSecret are required');
    if (!Array.isArray(c.redirectUris) || c.redirectUris.length === 0)
      throw new Error('registerClient: at least one redirect URI is required');
    for (const uri of c.redirectUris) {
      const problem = redirectUriProblem(uri);
      if (problem) throw new Error(`registerClient: redirect URI ${uri} ${problem}`);
    }
    state.clients.set(c.clientId, {
      clientId: c.clientId,
      clientSecret: c.clientSecret,
      redirectUris: [...c.redirectUris],
    });
  };
  for (const c of opts.clients ?? []) registerClient(c);

  const app = Fastify({ logger: opts.logger ?? false });
  await app.register(cors, {
    origin: '*',
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['Retry-After'],
    maxAge: 600,
  });
  await app.register(formbody);

  // Per-request pipeline for the Web API and the feature source: count, then
  // maybe inject a fault, then authenticate (in preHandler, per route).
  const dropAfter = new WeakSet<object>();
  app.addHook('onRequest', async (request, reply) => {
    if (!isFaultable(request.url) || request.method === 'OPTIONS') return;
    countRequest(state, request.routeOptions.config.operation ?? 'unknown');
    const outcome = applyFault(state.faults, request, reply, errorBody);
    if (outcome.kind === 'answered') return reply;
    if (outcome.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, outcome.ms));
    if (outcome.kind === 'drop-after') dropAfter.add(request);
    return;
  });
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!dropAfter.has(request)) return payload;
    // Over a real socket, cut it before a byte of the answer leaves; under
    // app.inject() there is no socket, so the answer itself breaks.
    if (request.raw.socket instanceof Socket) {
      request.raw.socket.destroy();
      return payload;
    }
    return brokenStream(payload);
  });
  app.addHook('preHandler', authenticate(state));

  // Parser and other framework errors in Spotify's shape, never Fastify's.
  app.setErrorHandler(async (error: { statusCode?: number; code?: string }, request, reply) => {
    const status =
      typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 600
        ? error.statusCode
        : 500;
    const message =
      status >= 500
        ? 'Server error.'
        : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
            error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'Error parsing json'
          : 'Bad request.';
    if (request.url.startsWith('/accounts/'))
      return reply.code(status).send({ error: 'invalid_request', error_description: message });
    return apiError(reply, status, message);
  });

  await app.register(accountsRoutes, { state });
  await app.register(webApiRoutes, { state });
  await app.register(reccobeatsRoutes, { state });
  await app.register(imageRoutes);
  if (opts.controls) await app.register(controlRoutes, { state, registerClient });

  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/v1/')) return apiError(reply, 404, 'Service not found');
    return reply.code(404).send({ error: { status: 404, message: 'Not found' } });
  });

  return {
    app,
    clock: state.clock,
    registerClient,
    async listen(o = {}) {
      const host = o.host ?? '127.0.0.1';
      await app.listen({ host, port: o.port ?? 0 });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : o.port;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      state.listenUrl = `http://${shownHost}:${port}`;
      return state.listenUrl;
    },
    async close() {
      await app.close();
    },
  };
}
