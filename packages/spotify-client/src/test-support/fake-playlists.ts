// An in-memory stand-in for the playlist endpoints, with scripted failures,
// to test pushTracks against exact interleavings the emulator cannot promise.
import { apiError, json, type Call, type Handler } from './fetch-spy.js';
import { paging, playlistObject } from './fixtures.js';

/** What happens to the n-th add-items request (0-based): applied and answered, or a failure before/after applying. */
export type AddFate = 'ok' | 'fail-before' | 'fail-after' | 'drop-before' | 'drop-after';

export class FakePlaylists {
  readonly lists = new Map<string, { name: string; description: string; uris: string[] }>();
  adds = 0;
  reads = 0;
  fates: AddFate[] = [];
  created = 0;

  handler: Handler = (call: Call) => {
    const path = call.url.pathname.replace(/^\/v1/, '');
    if (call.method === 'POST' && path === '/me/playlists') {
      const b = call.body as { name: string; description: string };
      const id = `pl${++this.created}`;
      this.lists.set(id, { name: b.name, description: b.description, uris: [] });
      return json(201, playlistObject({ id, name: b.name, description: b.description }));
    }
    if (call.method === 'GET' && path === '/me/playlists') {
      const offset = Number(call.url.searchParams.get('offset') ?? 0);
      const limit = Number(call.url.searchParams.get('limit') ?? 20);
      const all = [...this.lists.entries()].map(([id, p]) =>
        playlistObject({ id, name: p.name, description: p.description }),
      );
      return json(
        200,
        paging(all.slice(offset, offset + limit), { offset, limit, total: all.length }),
      );
    }
    const m = /^\/playlists\/([^/]+)\/items$/.exec(path);
    const list = m ? this.lists.get(decodeURIComponent(m[1]!)) : undefined;
    if (!m || !list) return apiError(404, 'Resource not found');
    if (call.method === 'GET') {
      this.reads++;
      const offset = Number(call.url.searchParams.get('offset') ?? 0);
      const limit = Number(call.url.searchParams.get('limit') ?? 20);
      const items = list.uris.slice(offset, offset + limit).map((uri) => ({
        added_at: '2026-11-27T12:00:00Z',
        is_local: false,
        item: { type: 'track', uri },
      }));
      return json(200, paging(items, { offset, limit, total: list.uris.length }));
    }
    const fate = this.fates[this.adds++] ?? 'ok';
    const b = call.body as { uris: string[]; position?: number };
    if (b.uris.length > 100) return apiError(400, 'Too many ids requested');
    if (fate === 'fail-before') return apiError(502, 'Bad gateway');
    if (fate === 'drop-before') throw new TypeError('fetch failed');
    list.uris.splice(b.position ?? list.uris.length, 0, ...b.uris);
    if (fate === 'fail-after') return apiError(500, 'Server error');
    if (fate === 'drop-after') throw new TypeError('fetch failed');
    return json(201, { snapshot_id: `snap${this.adds}` });
  };
}

export function trackUris(n: number, prefix = 't'): string[] {
  return Array.from(
    { length: n },
    (_, i) => `spotify:track:${prefix}${String(i).padStart(5, '0')}`,
  );
}
