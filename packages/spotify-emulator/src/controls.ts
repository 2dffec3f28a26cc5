// Control endpoints for tests and demos. Registered only when the emulator is
// created with `controls: true`; otherwise /_emulator/* is an ordinary 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type FaultKind, faultPlan } from './faults.js';
import { RateLimiter } from './rate-limit.js';
import { type EmulatorClient, type EmulatorState, userByKey } from './state.js';

export interface ControlPlaylist {
  id: string;
  owner: string;
  name: string;
  description: string;
  public: boolean;
  uris: string[];
}

export interface ControlRequests {
  total: number;
  byOperation: Record<string, number>;
}

function bad(reply: FastifyReply, message: string) {
  return reply.code(400).send({ error: { status: 400, message } });
}

export async function controlRoutes(
  app: FastifyInstance,
  opts: { state: EmulatorState; registerClient: (c: EmulatorClient) => void },
) {
  const { state } = opts;

  app.get('/_emulator/clock', async () => ({ now: state.clock.now() }));
  app.post('/_emulator/clock', async (request, reply) => {
    const body = (request.body ?? {}) as { now?: unknown; advanceMs?: unknown };
    if (typeof body.now === 'number' && Number.isFinite(body.now)) state.clock.set(body.now);
    else if (typeof body.now === 'string' && Number.isFinite(Date.parse(body.now)))
      state.clock.set(Date.parse(body.now));
    else if (typeof body.advanceMs === 'number' && Number.isFinite(body.advanceMs))
      state.clock.advance(body.advanceMs);
    else return bad(reply, 'body must be {"now": ms | ISO date} or {"advanceMs": number}');
    return { now: state.clock.now() };
  });

  app.post('/_emulator/faults', async (request, reply) => {
    const body = (request.body ?? {}) as {
      rate?: number;
      kinds?: FaultKind[];
      retryAfterS?: number;
      slowMs?: number;
      seed?: number;
    };
    try {
      state.faults = faultPlan({
        rate: Number(body.rate),
        kinds: body.kinds ?? [],
        retryAfterS: body.retryAfterS,
        slowMs: body.slowMs,
        seed: body.seed,
      });
    } catch (e) {
      return bad(reply, (e as Error).message);
    }
    return {
      rate: state.faults.rate,
      kinds: state.faults.kinds,
      retryAfterS: state.faults.retryAfterS,
      slowMs: state.faults.slowMs,
    };
  });
  app.delete('/_emulator/faults', async () => {
    state.faults = null;
    return { rate: 0, kinds: [] };
  });

  app.post('/_emulator/rate-limit', async (request, reply) => {
    const body = (request.body ?? {}) as { limit?: number; windowMs?: number };
    try {
      state.rateLimiter = new RateLimiter({ limit: Number(body.limit), windowMs: body.windowMs });
    } catch (e) {
      return bad(reply, (e as Error).message);
    }
    return { limit: state.rateLimiter.limit, windowMs: state.rateLimiter.windowMs };
  });
  app.delete('/_emulator/rate-limit', async () => {
    state.rateLimiter = null;
    return { limit: null };
  });

  app.post('/_emulator/features-mode', async (request, reply) => {
    const mode = ((request.body ?? {}) as { mode?: unknown }).mode;
    if (mode !== 'development' && mode !== 'extended')
      return bad(reply, 'mode must be "development" or "extended"');
    state.featuresMode = mode;
    return { mode };
  });

  app.get('/_emulator/playlists', async (): Promise<{ playlists: ControlPlaylist[] }> => ({
    playlists: state.playlists.map((p) => ({
      id: p.id,
      owner: userByKey(state, p.ownerKey)?.id ?? p.ownerKey,
      name: p.name,
      description: p.description,
      public: p.public,
      uris: p.items.map((i) => i.uri),
    })),
  }));

  app.get('/_emulator/requests', async (): Promise<ControlRequests> => {
    const byOperation = Object.fromEntries(
      [...state.requestCounts.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    let total = 0;
    for (const n of state.requestCounts.values()) total += n;
    return { total, byOperation };
  });
  app.post('/_emulator/requests/reset', async () => {
    state.requestCounts.clear();
    return { total: 0, byOperation: {} };
  });

  app.post('/_emulator/clients', async (request, reply) => {
    const body = (request.body ?? {}) as Partial<EmulatorClient>;
    if (
      typeof body.clientId !== 'string' ||
      typeof body.clientSecret !== 'string' ||
      !Array.isArray(body.redirectUris)
    ) {
      return bad(reply, 'body must be {"clientId", "clientSecret", "redirectUris": [...]}');
    }
    try {
      opts.registerClient({
        clientId: body.clientId,
        clientSecret: body.clientSecret,
        redirectUris: body.redirectUris.map(String),
      });
    } catch (e) {
      return bad(reply, (e as Error).message);
    }
    return reply.code(201).send({ clientId: body.clientId, redirectUris: body.redirectUris });
  });
}
