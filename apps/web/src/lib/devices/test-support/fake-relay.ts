// An in-memory relay that speaks the /sync protocol of apps/server (its
// README and protocol.ts) through `fetch`, so tests drive the real client.
// One namespace (one Spotify account). Tests can read and change what it
// stores, cut it off, make it refuse, and reorder or repeat what it delivers.
import type { WireRecord } from '../record-crypto';

interface Stored {
  seq: number;
  id: string;
  epoch: number;
  body: string;
}

const decodedBytes = (b64: string) => Math.floor((b64.length * 3) / 4);

/** A request's JSON text and the bytes it took on the wire (inflated as the server does). */
async function readBody(init: RequestInit | undefined): Promise<{ text: string; bytes: number }> {
  const body = init?.body;
  if (body === undefined || body === null) return { text: '', bytes: 0 };
  if (typeof body === 'string') return { text: body, bytes: body.length };
  if (!(body instanceof Uint8Array)) throw new Error('the fake relay reads string or byte bodies');
  const encoding = new Headers(init?.headers).get('content-encoding');
  if (encoding !== 'gzip') return { text: new TextDecoder().decode(body), bytes: body.length };
  const inflated = new Blob([new Uint8Array(body)])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return { text: await new Response(inflated).text(), bytes: body.length };
}

export class FakeRelay {
  seq = 0;
  readonly records = new Map<string, Stored>();
  quotaBytes = 256 * 1024 * 1024;
  /** When false, every request fails as a dropped connection does (fetch throws). */
  reachable = true;
  /** Answered instead of the next requests, one each. */
  readonly refusals: {
    status: number;
    body: Record<string, unknown>;
    headers?: Record<string, string>;
  }[] = [];
  /** Changes each page a GET returns (tests reorder or repeat deliveries). */
  deliver: (records: Stored[]) => Stored[] = (r) => r;
  /** Every request: method, path, and bytes of its body. */
  readonly log: { method: string; path: string; bytes: number }[] = [];
  /** How many body bytes the PUTs carried (decoded, as the relay counts them). */
  bodyBytesIn = 0;

  readonly fetch: typeof fetch = async (input, init) => {
    if (!this.reachable) throw new TypeError('Failed to fetch');
    const url = new URL(String(input), 'http://relay.test');
    const method = init?.method ?? 'GET';
    const { text, bytes } = await readBody(init);
    this.log.push({ method, path: url.pathname + url.search, bytes });
    const refusal = this.refusals.shift();
    if (refusal)
      return Response.json(refusal.body, { status: refusal.status, headers: refusal.headers });
    const path = url.pathname.replace(/\/$/, '');
    if (method === 'PUT' && path === '/sync/records') return this.#put(JSON.parse(text));
    if (method === 'GET' && path === '/sync/records')
      return this.#list(
        Number(url.searchParams.get('after') ?? 0),
        Number(url.searchParams.get('limit') ?? 500),
      );
    if (method === 'GET' && path === '/sync/status') return Response.json(this.status());
    if (method === 'DELETE' && path === '/sync/records') {
      const below = Number(url.searchParams.get('epochBelow'));
      let deleted = 0;
      for (const [id, r] of this.records)
        if (r.epoch < below) {
          this.records.delete(id);
          deleted++;
        }
      return Response.json({ deleted });
    }
    if (method === 'DELETE' && path === '/sync') {
      const deleted = this.records.size;
      this.records.clear();
      return Response.json({ deleted });
    }
    return Response.json({ code: 'NOT_FOUND', message: 'no such route' }, { status: 404 });
  };

  status() {
    let bytes = 0;
    let epoch: number | null = null;
    for (const r of this.records.values()) {
      bytes += decodedBytes(r.body);
      epoch = epoch === null ? r.epoch : Math.max(epoch, r.epoch);
    }
    return {
      records: this.records.size,
      bytes,
      quotaBytes: this.quotaBytes,
      cursor: this.seq,
      epoch,
    };
  }

  /** Every stored record, oldest first. */
  all(): Stored[] {
    return [...this.records.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Replaces a stored record's fields as a hostile or broken server would, with a new seq. */
  rewrite(id: string, change: (r: WireRecord) => WireRecord): void {
    const r = this.records.get(id);
    if (!r) throw new Error(`no record ${id}`);
    const next = change({ id: r.id, epoch: r.epoch, body: r.body });
    this.records.delete(id);
    this.records.set(next.id, { ...next, seq: ++this.seq });
  }

  #put(body: { records: WireRecord[] }): Response {
    const records = body.records;
    if (!Array.isArray(records) || records.length < 1 || records.length > 500)
      return Response.json({ code: 'SYNC_BAD_REQUEST', message: '1-500 records' }, { status: 400 });
    for (const r of records) {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(r.id) || !/^[A-Za-z0-9_-]+$/.test(r.body))
        return Response.json({ code: 'SYNC_BAD_REQUEST', message: 'bad record' }, { status: 400 });
      if (decodedBytes(r.body) > 1024 * 1024)
        return Response.json(
          { code: 'SYNC_BODY_TOO_LARGE', message: 'too large' },
          { status: 413 },
        );
    }
    let bytes = this.status().bytes;
    for (const r of records) {
      const old = this.records.get(r.id);
      bytes += decodedBytes(r.body) - (old ? decodedBytes(old.body) : 0);
    }
    if (bytes > this.quotaBytes)
      return Response.json(
        { code: 'SYNC_QUOTA_FULL', message: 'quota full', quotaBytes: this.quotaBytes },
        { status: 413 },
      );
    for (const r of records) {
      const old = this.records.get(r.id);
      if (old && old.epoch === r.epoch && old.body === r.body) continue;
      this.bodyBytesIn += decodedBytes(r.body);
      this.records.delete(r.id);
      this.records.set(r.id, { seq: ++this.seq, id: r.id, epoch: r.epoch, body: r.body });
    }
    return Response.json({ cursor: this.seq });
  }

  #list(after: number, limit: number): Response {
    const page: Stored[] = [];
    let bytes = 0;
    const all = this.all().filter((r) => r.seq > after);
    for (const r of all) {
      if (page.length >= limit || (page.length > 0 && bytes + r.body.length > 4 * 1024 * 1024))
        break;
      page.push(r);
      bytes += r.body.length;
    }
    const cursor = page.length > 0 ? page[page.length - 1]!.seq : after;
    return Response.json({
      records: this.deliver(page).map((r) => ({ ...r })),
      cursor,
      more: all.length > page.length,
    });
  }
}
