import { badRequest, SyncError } from './sync-error.js';
import type { RecordIn, StoredRecord } from './sync-store.js';

/**
 * The /sync wire format (documented in apps/server/README.md). Bodies travel
 * as base64url without padding; the server checks only their shape and size,
 * never their content.
 */
export const MIB = 1024 * 1024;
export const LIMITS = {
  recordsPerPut: 500,
  /** the whole PUT request body, as JSON */
  requestBytes: 4 * MIB,
  /** one record's body, decoded */
  recordBytes: MIB,
  pageDefault: 500,
  pageMax: 1000,
  /** a GET page stops adding records past this many body bytes (at least one record comes) */
  pageBytes: 4 * MIB,
} as const;

export const DEFAULT_QUOTA_MB = 256;
export const DEFAULT_SYNC_PER_MINUTE = 300;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const RECORD_KEYS = new Set(['id', 'epoch', 'body']);

export interface WireRecord {
  seq: number;
  id: string;
  epoch: number;
  body: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Decoded bytes, or null for anything but canonical unpadded base64url. Node's
 * decoder skips characters it does not know and ignores stray trailing bits,
 * so the decoded bytes are encoded again and must give back the same text:
 * one body has exactly one spelling, and what a client sent is what it gets back.
 */
function decodeBody(text: string): Buffer | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64url');
  return bytes.toString('base64url') === text ? bytes : null;
}

/** The records of `PUT /sync/records`, each field checked, the first problem named. */
export function parsePutBody(body: unknown): RecordIn[] {
  if (!isObject(body)) throw badRequest('the body must be a JSON object { records: [...] }');
  for (const key of Object.keys(body))
    if (key !== 'records') throw badRequest(`unknown field "${key}" (the body is { records })`);
  const { records } = body;
  if (!Array.isArray(records)) throw badRequest('records must be an array');
  if (records.length < 1 || records.length > LIMITS.recordsPerPut)
    throw badRequest(
      `records must hold 1 to ${LIMITS.recordsPerPut} records, got ${records.length}`,
    );
  const ids = new Map<string, number>();
  return records.map((r: unknown, i) => {
    const at = `records[${i}]`;
    if (!isObject(r)) throw badRequest(`${at} must be an object { id, epoch, body }`);
    for (const key of Object.keys(r))
      if (!RECORD_KEYS.has(key))
        throw badRequest(`${at} has an unknown field "${key}" (a record is { id, epoch, body })`);
    if (typeof r.id !== 'string' || !ID.test(r.id))
      throw badRequest(`${at}.id must be 1-64 characters of A-Z a-z 0-9 _ -`);
    const first = ids.get(r.id);
    if (first !== undefined) throw badRequest(`${at}.id repeats records[${first}].id "${r.id}"`);
    ids.set(r.id, i);
    if (!isCount(r.epoch)) throw badRequest(`${at}.epoch must be a non-negative integer`);
    if (typeof r.body !== 'string') throw badRequest(`${at}.body must be a base64url string`);
    // before decoding: 4 base64 characters per 3 bytes
    if (Math.floor((r.body.length * 3) / 4) > LIMITS.recordBytes) throw recordTooLarge(at);
    const bytes = decodeBody(r.body);
    if (bytes === null)
      throw badRequest(`${at}.body must be base64url without padding (A-Z a-z 0-9 - _)`);
    if (bytes.length === 0) throw badRequest(`${at}.body is empty`);
    return { id: r.id, epoch: r.epoch, body: bytes };
  });
}

function recordTooLarge(at: string): SyncError {
  return new SyncError(
    'SYNC_BODY_TOO_LARGE',
    413,
    `${at}.body is over ${LIMITS.recordBytes} bytes once decoded; split it into smaller records`,
    { maxRecordBytes: LIMITS.recordBytes },
  );
}

type Query = Record<string, unknown>;

function onlyKeys(query: Query, allowed: string[], route: string): void {
  for (const key of Object.keys(query))
    if (!allowed.includes(key))
      throw badRequest(
        `unknown query parameter "${key}" (${route} takes ${allowed.length ? allowed.join(', ') : 'none'})`,
      );
}

function intParam(query: Query, name: string, min: number, max: number): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw badRequest(
      `${name} must be a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`,
    );
  return n;
}

export function parseListQuery(query: Query): { after: number; limit: number } {
  onlyKeys(query, ['after', 'limit'], 'GET /sync/records');
  return {
    after: intParam(query, 'after', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: intParam(query, 'limit', 1, LIMITS.pageMax) ?? LIMITS.pageDefault,
  };
}

export function parseEpochBelow(query: Query): number {
  onlyKeys(query, ['epochBelow'], 'DELETE /sync/records');
  const n = intParam(query, 'epochBelow', 0, Number.MAX_SAFE_INTEGER);
  if (n === undefined)
    throw badRequest('epochBelow is required: DELETE /sync/records?epochBelow=<epoch>');
  return n;
}

export function noQuery(query: Query, route: string): void {
  onlyKeys(query, [], route);
}

export function toWire(r: StoredRecord): WireRecord {
  return { seq: r.seq, id: r.id, epoch: r.epoch, body: r.body.toString('base64url') };
}
