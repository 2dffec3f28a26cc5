// Query-string parsing shared by the Web API routes.
import type { FastifyRequest } from 'fastify';
import type { RangeName } from './listener.js';

export type Query = Record<string, string | undefined>;

export function intParam(
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number | null {
  if (raw === undefined || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) return null;
  const n = Number(raw);
  return n < min || n > max ? null : n;
}

export const RANGES: readonly RangeName[] = ['short_term', 'medium_term', 'long_term'];
export const BASE62_ID = /^[0-9A-Za-z]{22}$/;
export const URI = /^spotify:(track|episode):([0-9A-Za-z]{22})$/;

export function requestUrl(base: string, request: FastifyRequest): URL {
  return new URL(request.url, base);
}
