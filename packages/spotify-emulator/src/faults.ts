// Injected faults for /v1 and /reccobeats. Decisions come from a generator
// seeded by the plan, so a failing test run can be replayed exactly.
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Rng, rng } from './random.js';

export const FAULT_KINDS = ['429', 'quota', '500', '502', '503', 'slow', 'drop'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSettings {
  rate: number;
  kinds: FaultKind[];
  retryAfterS?: number;
  slowMs?: number;
  seed?: number;
}

export interface FaultPlan {
  rate: number;
  kinds: FaultKind[];
  retryAfterS: number;
  slowMs: number;
  random: Rng;
}

export function faultPlan(s: FaultSettings): FaultPlan {
  if (!(s.rate >= 0 && s.rate <= 1)) throw new RangeError('faults.rate must be between 0 and 1');
  if (!Array.isArray(s.kinds) || s.kinds.length === 0)
    throw new RangeError('faults.kinds must list at least one kind');
  for (const k of s.kinds)
    if (!FAULT_KINDS.includes(k)) throw new RangeError(`unknown fault kind: ${String(k)}`);
  return {
    rate: s.rate,
    kinds: [...s.kinds],
    retryAfterS: s.retryAfterS ?? 1,
    slowMs: s.slowMs ?? 1500,
    random: rng(s.seed ?? 7),
  };
}

export type FaultOutcome =
  { kind: 'none' } | { kind: 'answered' } | { kind: 'drop-after' } | { kind: 'slow'; ms: number };

const MESSAGES: Record<string, string> = {
  '500': 'Server error.',
  '502': 'Bad gateway.',
  '503': 'Service unavailable',
};

/** Drops the connection without an answer, as a flaky network or proxy would. */
export function dropConnection(request: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  // Under app.inject() there is no real socket: destroying the response makes
  // inject() reject, which is the closest equivalent of a network error.
  const socket = request.raw.socket as { destroy?: () => void } | undefined;
  if (typeof socket?.destroy === 'function') socket.destroy();
  reply.raw.destroy();
}

/**
 * Decides and, when it answers by itself, sends the fault. A 'drop' is
 * ambiguous on purpose: half of them happen after the request was processed
 * (the write happened, the answer is lost), which is exactly the case a
 * resumable playlist push must survive without duplicating tracks.
 */
export function applyFault(
  plan: FaultPlan | null,
  request: FastifyRequest,
  reply: FastifyReply,
  errorBody: (status: number, message: string, reason?: string) => unknown,
): FaultOutcome {
  if (!plan || plan.rate <= 0 || plan.random() >= plan.rate) return { kind: 'none' };
  const kind = plan.kinds[Math.floor(plan.random() * plan.kinds.length)] as FaultKind;
  switch (kind) {
    case '429':
      void reply
        .code(429)
        .header('retry-after', String(plan.retryAfterS))
        .send(errorBody(429, 'API rate limit exceeded'));
      return { kind: 'answered' };
    case 'quota':
      void reply
        .code(429)
        .header('retry-after', String(plan.retryAfterS))
        .send(errorBody(429, 'Too many requests', 'QUOTA_EXCEEDED'));
      return { kind: 'answered' };
    case '500':
    case '502':
    case '503':
      void reply.code(Number(kind)).send(errorBody(Number(kind), MESSAGES[kind] as string));
      return { kind: 'answered' };
    case 'slow':
      return { kind: 'slow', ms: plan.slowMs };
    case 'drop':
      if (plan.random() < 0.5) {
        dropConnection(request, reply);
        return { kind: 'answered' };
      }
      return { kind: 'drop-after' };
  }
}

/**
 * The answer to a request that was processed, cut off mid-body: the first
 * byte goes out (so headers are sent), then the stream fails and Fastify
 * destroys the connection. Over a socket the client sees a network error;
 * under app.inject() the injection rejects.
 */
export function brokenStream(payload: unknown): Readable {
  const text =
    typeof payload === 'string'
      ? payload
      : Buffer.isBuffer(payload)
        ? payload.toString('utf8')
        : ' ';
  const stream = new Readable({ read() {} });
  stream.push(text.slice(0, 1) || ' ');
  setImmediate(() => stream.destroy(new Error('emulated dropped connection')));
  return stream;
}
