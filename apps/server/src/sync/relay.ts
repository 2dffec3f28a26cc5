import compress from '@fastify/compress';
import type { FastifyError, FastifyPluginAsync, FastifyRequest } from 'fastify';
import {
  LIMITS,
  noQuery,
  parseEpochBelow,
  parseListQuery,
  parsePutBody,
  toWire,
} from './protocol.js';
import { SyncError } from './sync-error.js';
import type { SyncStore } from './sync-store.js';

export interface SyncRelayOptions {
  store: SyncStore;
  /** stored body bytes allowed per account */
  quotaBytes: number;
  /** requests per minute per account, over all /sync routes together */
  requestsPerMinute: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the namespace of this request: the Spotify account id sealed in its session */
    syncAccount: string;
  }
}

type Query = { Querystring: Record<string, unknown> };

/** Fastify's own refusals (body size, media type, JSON syntax) in the relay's words. */
function toSyncError(err: FastifyError): SyncError {
  if (err instanceof SyncError) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SyncError(
        'SYNC_BODY_TOO_LARGE',
        413,
        `the request body is over ${LIMITS.requestBytes} bytes; send fewer records per PUT`,
        { maxRequestBytes: LIMITS.requestBytes },
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SyncError('SYNC_BAD_REQUEST', 415, 'send the body as application/json');
    case 'FST_CP_ERR_INVALID_CONTENT_ENCODING':
      return new SyncError(
        'SYNC_BAD_REQUEST',
        415,
        'the body must be sent as it is or gzip-compressed (Content-Encoding: gzip)',
      );
    case 'FST_CP_ERR_INVALID_CONTENT':
      return new SyncError('SYNC_BAD_REQUEST', 400, 'the gzip-compressed body is not valid gzip');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new SyncError(
        'SYNC_BAD_REQUEST',
        400,
        'the body is empty; expected { records: [...] }',
      );
  }
  const status = err.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return new SyncError(
      'SYNC_BAD_REQUEST',
      status,
      status === 400 ? 'the body is not valid JSON' : 'the request was refused',
    );
  return new SyncError(
    'SYNC_UNAVAILABLE',
    503,
    'the sync storage did not answer; try again (a PUT sent again is stored once)',
  );
}

/**
 * The relay: opaque records of one Spotify account, under /sync. Who the
 * account is comes only from the sealed session, where the server put the id
 * it learned from Spotify at the login callback; nothing in the request can
 * name another namespace. The server never sees the key: bodies are stored
 * and returned as the bytes they are.
 *
 * Registered without fastify-plugin, under a prefix, inside the browser-facing
 * context: it inherits the cookies, the session, the same-origin check for
 * PUT and DELETE, and the security headers, and keeps its error handler,
 * body limit and rate limit to itself.
 */
const syncRelay: FastifyPluginAsync<SyncRelayOptions> = async (app, opts) => {
  const store = opts.store;
  for (const m of ['put', 'list', 'status', 'deleteBelowEpoch', 'deleteAll'] as const) {
    if (typeof store?.[m] !== 'function')
      throw new Error(`sync relay: options.store must be a SyncStore (missing ${m}())`);
  }
  if (!Number.isSafeInteger(opts.quotaBytes) || opts.quotaBytes < 1)
    throw new Error(
      `sync relay: options.quotaBytes must be a positive whole number of bytes, got ${String(opts.quotaBytes)}`,
    );
  if (!Number.isSafeInteger(opts.requestsPerMinute) || opts.requestsPerMinute < 1)
    throw new Error(
      `sync relay: options.requestsPerMinute must be a positive whole number, got ${String(opts.requestsPerMinute)}`,
    );
  if (!app.hasRequestDecorator('readSession'))
    throw new Error('sync relay: register the session plugin first');
  if (!app.hasDecorator('rateLimit'))
    throw new Error('sync relay: register @fastify/rate-limit first');
  const quotaBytes = opts.quotaBytes;

  app.decorateRequest('syncAccount', '');

  // Bodies are base64 of ciphertext, which gzip brings back to about the
  // size of the bytes (6 bits a character): answers are compressed for
  // clients that accept gzip, and a PUT may come gzip-compressed. The body
  // limit counts the bytes once inflated, so a small bomb is still a 413.
  await app.register(compress, {
    global: true,
    encodings: ['gzip'],
    requestEncodings: ['gzip'],
    threshold: 1024,
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const e = toSyncError(err);
    // name and SQLSTATE only: a driver's message can quote the values of the statement
    if (e.code === 'SYNC_UNAVAILABLE')
      req.log.error(
        { event: 'sync_storage_failed', errName: err.name, errCode: err.code ?? null },
        'sync storage failed',
      );
    return reply.code(e.status).send(e.toBody());
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const read = req.readSession();
    if (read.state === 'none')
      throw new SyncError(
        'NOT_CONNECTED',
        401,
        'connect Spotify first: sync keeps the data of the connected account',
      );
    if (read.state === 'invalid')
      throw new SyncError(
        'SESSION_INVALID',
        401,
        'the session cookie cannot be opened; connect Spotify again',
      );
    if (read.state === 'expired')
      throw new SyncError(
        'AUTH_EXPIRED',
        401,
        'the Spotify connection is over six months old; connect again',
      );
    const account = read.session.accountId;
    if (account === undefined)
      throw new SyncError(
        'RECONNECT_FOR_SYNC',
        401,
        'this connection was made before the server could tell which Spotify account it belongs to; connect Spotify again to sync',
      );
    req.syncAccount = account;
  });

  // One budget per account for every /sync route, counted after the session is
  // read (so by account, not by IP: a household behind one address is not one user).
  app.addHook(
    'onRequest',
    app.rateLimit({
      max: opts.requestsPerMinute,
      timeWindow: 60_000,
      keyGenerator: (req: FastifyRequest) => `sync:${req.syncAccount}`,
      errorResponseBuilder: (_req, ctx) =>
        new SyncError(
          'SYNC_RATE_LIMITED',
          429,
          `too many sync requests: at most ${opts.requestsPerMinute} a minute per account; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
          { retryAfterMs: ctx.ttl },
        ),
    }),
  );

  app.put('/records', { bodyLimit: LIMITS.requestBytes }, async (req: FastifyRequest<Query>) => {
    noQuery(req.query, 'PUT /sync/records');
    const records = parsePutBody(req.body);
    return store.put(req.syncAccount, records, quotaBytes);
  });

  app.get('/records', async (req: FastifyRequest<Query>) => {
    const { after, limit } = parseListQuery(req.query);
    const page = await store.list(req.syncAccount, { after, limit, maxBytes: LIMITS.pageBytes });
    return { records: page.records.map(toWire), cursor: page.cursor, more: page.more };
  });

  app.get('/status', async (req: FastifyRequest<Query>) => {
    noQuery(req.query, 'GET /sync/status');
    const s = await store.status(req.syncAccount);
    return { records: s.records, bytes: s.bytes, quotaBytes, cursor: s.cursor, epoch: s.epoch };
  });

  app.delete('/records', async (req: FastifyRequest<Query>) => {
    const epochBelow = parseEpochBelow(req.query);
    return { deleted: await store.deleteBelowEpoch(req.syncAccount, epochBelow) };
  });

  app.delete('/', async (req: FastifyRequest<Query>) => {
    noQuery(req.query, 'DELETE /sync');
    return { deleted: await store.deleteAll(req.syncAccount) };
  });
};

export default syncRelay;
