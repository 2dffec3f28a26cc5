// The service-worker half of the Web Share Target (static/share-target-sw.js,
// plain JS loaded with importScripts) against the Import page's half
// (sharedFiles, takeSharedFiles): a shared file must come out the other end
// unchanged, and a POST from another origin must be refused by the script
// and by its TypeScript twin (handleShareTarget) alike.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  REFUSED_PAGE,
  SHARE_ACTION,
  SHARE_CACHE,
  SHARE_FIELD,
  discardSharedFiles,
  handleShareTarget,
  sharedFiles,
  takeSharedFiles,
} from '$lib/import/share-target';

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
    /** Every parked file's key, in every cache. */
    keys: () => [...stores.values()].flatMap((s) => [...s.keys()]),
    async has(name: string) {
      return stores.has(name);
    },
    async delete(name: string) {
      return stores.delete(name);
    },
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
type MemoryCaches = ReturnType<typeof memoryCaches>;

type FetchListener = (e: { request: Request; respondWith(r: Promise<Response>): void }) => void;
/** A share target: answers a request, or null when it lets the request through. */
type Target = (request: Request) => Promise<Response | null>;

function loadWorker(caches: MemoryCaches): Target {
  const listeners: FetchListener[] = [];
  const self = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type: string, fn: FetchListener) => {
      if (type === 'fetch') listeners.push(fn);
    },
  };
  new Function('self', 'caches', script)(self, caches);
  return async (request) => {
    let answer: Promise<Response> | null = null;
    for (const fn of listeners) fn({ request, respondWith: (r) => (answer = r) });
    return answer;
  };
}

/** The TypeScript twin, on the same in-memory caches. */
function loadTwin(caches: MemoryCaches): Target {
  return async (request) => {
    useCaches(caches);
    return handleShareTarget(request, ORIGIN);
  };
}

const realCaches = (globalThis as { caches?: unknown }).caches;
const useCaches = (caches: MemoryCaches): void => {
  (globalThis as { caches?: unknown }).caches = caches;
};
afterEach(() => {
  (globalThis as { caches?: unknown }).caches = realCaches;
});

function share(
  init: { referrer?: string; headers?: Record<string, string> } = {},
  files: File[] = [new File(['PK'], 'my_spotify_data.zip', { type: 'application/zip' })],
): Request {
  const form = new FormData();
  for (const f of files) form.append(SHARE_FIELD, f);
  return new Request(`${ORIGIN}${SHARE_ACTION}`, { method: 'POST', body: form, ...init });
}

const copies: [string, (c: MemoryCaches) => Target][] = [
  ['static/share-target-sw.js', loadWorker],
  ['handleShareTarget', loadTwin],
];

describe('share-target service worker script', () => {
  it('parks the shared files under the cache the Import page reads, and redirects there', async () => {
    const caches = memoryCaches();
    const fetchEvent = loadWorker(caches);
    const res = await fetchEvent(
      share({}, [
        new File([new Uint8Array([80, 75, 3, 4, 1, 2])], 'my_spotify_data.zip', {
          type: 'application/zip',
        }),
        new File(['[]'], 'Streaming_History_Audio_2024 (1).json', { type: 'application/json' }),
      ]),
    );
    expect(res?.status).toBe(303);
    expect(res?.headers.get('location')).toBe(`${ORIGIN}/import?shared=1`);
    expect(caches.names()).toEqual([SHARE_CACHE]);

    useCaches(caches);
    expect((await sharedFiles()).map((f) => [f.name, f.size])).toEqual([
      ['my_spotify_data.zip', 6],
      ['Streaming_History_Audio_2024 (1).json', 2],
    ]);
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
    // a page of ours posting to another site's /import/share is not ours to answer
    expect(
      await fetchEvent(
        new Request(`http://elsewhere.test${SHARE_ACTION}`, { method: 'POST', body: 'x' }),
      ),
    ).toBeNull();
  });

  const accepted: [string, Parameters<typeof share>[0]][] = [
    ['Android share sheet: no Referer, no Origin', {}],
    [
      'share sheet: Origin null, Sec-Fetch-Site none',
      { headers: { origin: 'null', 'sec-fetch-site': 'none' } },
    ],
    [
      'a page of the app',
      {
        referrer: `${ORIGIN}/diary`,
        headers: { origin: ORIGIN, 'sec-fetch-site': 'same-origin' },
      },
    ],
  ];
  const refused: [string, Parameters<typeof share>[0]][] = [
    ['Referer of another site', { referrer: 'http://evil.test/page' }],
    ['Referer of another port', { referrer: 'http://app.test:8080/' }],
    ['Origin of another site, no Referer', { headers: { origin: 'http://evil.test' } }],
    ['Sec-Fetch-Site cross-site', { headers: { 'sec-fetch-site': 'cross-site' } }],
    ['Sec-Fetch-Site same-site (another origin)', { headers: { 'sec-fetch-site': 'same-site' } }],
  ];

  for (const [copy, load] of copies) {
    for (const [what, init] of refused) {
      it(`issue 12: ${copy} refuses a share from another origin (${what}): a 403 page in words, nothing cached`, async () => {
        const caches = memoryCaches();
        const res = await load(caches)(share(init));
        expect(res?.status).toBe(403);
        expect(res?.headers.get('content-type')).toMatch(/^text\/html/);
        expect(await res?.text()).toBe(REFUSED_PAGE);
        expect(caches.keys()).toEqual([]);
      });
    }
    for (const [what, init] of accepted) {
      it(`issue 12: ${copy} accepts a share that names no other origin (${what})`, async () => {
        const caches = memoryCaches();
        const res = await load(caches)(share(init));
        expect(res?.status).toBe(303);
        expect(caches.keys()).toHaveLength(1);
      });
    }

    it(`issue 12: ${copy}: a new share replaces one never answered, and the page takes only the files it showed`, async () => {
      const caches = memoryCaches();
      const target = load(caches);
      await target(share({}, [new File(['first'], 'my_spotify_data.zip')]));
      useCaches(caches);
      const shown = await sharedFiles();
      // another share arrives while the confirmation is on screen
      await target(share({}, [new File(['second share'], 'my_spotify_data.zip')]));
      useCaches(caches);
      expect((await sharedFiles()).map((f) => f.size)).toEqual([12]);
      expect(await takeSharedFiles(shown)).toEqual([]);
      expect(caches.keys()).toEqual([]);
    });
  }

  it('the refusal page says what happened in words, not a status code', () => {
    expect(REFUSED_PAGE).toContain('Another website tried to send files to Music Time Machine.');
    expect(REFUSED_PAGE).toContain('Nothing was saved and nothing was imported.');
  });

  it('Discard removes every parked file unread', async () => {
    const caches = memoryCaches();
    await loadWorker(caches)(share());
    useCaches(caches);
    await discardSharedFiles();
    expect(caches.keys()).toEqual([]);
    expect(await sharedFiles()).toEqual([]);
  });
});
