// The service-worker half of the Web Share Target (static/share-target-sw.js,
// plain JS loaded with importScripts) against the Import page's half
// (takeSharedFiles): a shared file must come out the other end unchanged.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SHARE_ACTION, SHARE_CACHE, SHARE_FIELD, takeSharedFiles } from '$lib/import/share-target';

const ORIGIN = 'http://app.test';
const script = readFileSync(
  fileURLToPath(new URL('../../../static/share-target-sw.js', import.meta.url)),
  'utf8',
);

/** A CacheStorage that keeps Responses in memory, keyed by absolute URL. */
function memoryCaches() {
  const stores = new Map<string, Map<string, Response>>();
  const abs = (r: RequestInfo | URL) =>
    new URL(r instanceof Request ? r.url : String(r), ORIGIN).href;
  return {
    names: () => [...stores.keys()],
    async open(name: string) {
      const store = stores.get(name) ?? new Map<string, Response>();
      stores.set(name, store);
      return {
        async put(r: RequestInfo | URL, res: Response) {
          store.set(abs(r), res);
        },
        async keys() {
          return [...store.keys()].map((u) => new Request(u));
        },
        async match(r: RequestInfo | URL) {
          return store.get(abs(r))?.clone();
        },
        async delete(r: RequestInfo | URL) {
          return store.delete(abs(r));
        },
      };
    },
  };
}

type FetchListener = (e: { request: Request; respondWith(r: Promise<Response>): void }) => void;

function loadWorker(caches: ReturnType<typeof memoryCaches>) {
  const listeners: FetchListener[] = [];
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, fn: FetchListener) => {
      if (type === 'fetch') listeners.push(fn);
    },
  };
  new Function('self', 'caches', script)(self, caches);
  /** Dispatches a fetch; resolves to the worker's answer, or null when it let the request through. */
  return async (request: Request): Promise<Response | null> => {
    let answer: Promise<Response> | null = null;
    for (const fn of listeners) fn({ request, respondWith: (r) => (answer = r) });
    return answer;
  };
}

const realCaches = (globalThis as { caches?: unknown }).caches;
afterEach(() => {
  (globalThis as { caches?: unknown }).caches = realCaches;
});

describe('share-target service worker script', () => {
  it('parks the shared files under the cache the Import page reads, and redirects there', async () => {
    const caches = memoryCaches();
    const fetchEvent = loadWorker(caches);
    const form = new FormData();
    form.append(
      SHARE_FIELD,
      new File([new Uint8Array([80, 75, 3, 4, 1, 2])], 'my_spotify_data.zip', {
        type: 'application/zip',
      }),
    );
    form.append(
      SHARE_FIELD,
      new File(['[]'], 'Streaming_History_Audio_2024 (1).json', { type: 'application/json' }),
    );
    form.append('title', 'not a file');

    const res = await fetchEvent(
      new Request(`${ORIGIN}${SHARE_ACTION}`, { method: 'POST', body: form }),
    );
    expect(res?.status).toBe(303);
    expect(res?.headers.get('location')).toBe(`${ORIGIN}/import?shared=1`);
    expect(caches.names()).toEqual([SHARE_CACHE]);

    (globalThis as { caches?: unknown }).caches = caches;
    const files = await takeSharedFiles();
    expect(files.map((f) => f.name)).toEqual([
      'my_spotify_data.zip',
      'Streaming_History_Audio_2024 (1).json',
    ]);
    expect([...new Uint8Array(await files[0]!.arrayBuffer())]).toEqual([80, 75, 3, 4, 1, 2]);
    expect(await files[1]!.text()).toBe('[]');
    expect(await takeSharedFiles()).toEqual([]);
  });

  it('leaves every other request to Workbox', async () => {
    const fetchEvent = loadWorker(memoryCaches());
    expect(await fetchEvent(new Request(`${ORIGIN}${SHARE_ACTION}`))).toBeNull();
    expect(
      await fetchEvent(new Request(`${ORIGIN}/import`, { method: 'POST', body: 'x' })),
    ).toBeNull();
  });
});
