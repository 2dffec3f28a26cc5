// Android's share sheet hands the zip to the installed PWA (Web Share Target):
// the manifest's share_target POSTs it as multipart to SHARE_ACTION, the
// service worker parks the file in a cache and redirects to /import?shared=1,
// and the Import page asks before importing it. A cache, not IndexedDB,
// because the service worker can store a Response of the file without
// reading it.
//
// Any web page can POST a form to SHARE_ACTION too (issue 12), so:
// - the service worker refuses a POST that says it comes from another origin
//   (fromAnotherOrigin below), with a 403 page in words and nothing cached;
// - a page can still hide where it comes from (referrer policy no-referrer:
//   no Referer, `Origin: null`, and Chromium shows a service worker no
//   Sec-Fetch-Site), which is also how the share sheet's POST looks, so
//   shared files never import by themselves: the Import page names them,
//   their size and the diary they would go into, and waits for Import or
//   Discard. It takes only the files it showed: each share is parked under a
//   random id, so a share that replaces it meanwhile is not imported unseen.
//
// Wiring that lives in files owned by the app shell (vite.config.ts, static/):
//   manifest.share_target = { action: '/import/share', method: 'POST',
//     enctype: 'multipart/form-data',
//     params: { files: [{ name: 'history', accept: ['application/zip', '.zip', 'application/json', '.json'] }] } }
//   workbox.importScripts = ['/share-target-sw.js']: static/share-target-sw.js
//   is handleShareTarget below in plain JS, held to it by share-target-sw.test.ts.
export const SHARE_ACTION = '/import/share';
export const SHARE_FIELD = 'history';
export const SHARE_CACHE = 'mtm-share-target';
const SHARED_PREFIX = '/import/shared/';

/**
 * True when the POST says it comes from a page of another origin: a
 * Sec-Fetch-Site other than none/same-origin (same-site is another origin
 * too: another port or subdomain), an Origin of another origin, or a Referer
 * of another origin. Saying nothing is allowed: Android's share sheet sends
 * no Referer, and its Origin may be absent or "null".
 */
export function fromAnotherOrigin(request: Request, origin: string): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'none' && site !== 'same-origin') return true;
  const from = request.headers.get('origin');
  if (from !== null && from !== 'null' && from !== origin) return true;
  const referrer = request.referrer || request.headers.get('referer') || '';
  if (referrer === '' || referrer === 'about:client') return false;
  try {
    return new URL(referrer).origin !== origin;
  } catch {
    return true;
  }
}

/** The 403 page, word for word the service worker's. */
export const REFUSED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Files not accepted · Music Time Machine</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>These files were not accepted</h1>
<p>Another website tried to send files to Music Time Machine. Nothing was saved and nothing was imported.</p>
<p>To import your Spotify history, share my_spotify_data.zip to the app from your phone's share sheet, or open <a href="/import">Import</a> in the app.</p>
</body></html>`;

/** For the service worker's fetch handler: answers the share-target POST. */
export async function handleShareTarget(request: Request, origin: string): Promise<Response> {
  if (fromAnotherOrigin(request, origin))
    return new Response(REFUSED_PAGE, {
      status: 403,
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
  const form = await request.formData();
  // a new share replaces one that was never answered
  await caches.delete(SHARE_CACHE);
  const cache = await caches.open(SHARE_CACHE);
  const share = crypto.randomUUID();
  let i = 0;
  for (const value of form.getAll(SHARE_FIELD)) {
    if (typeof value === 'string') continue;
    await cache.put(
      `${SHARED_PREFIX}${share}/${i++}?name=${encodeURIComponent(value.name)}`,
      new Response(value),
    );
  }
  return Response.redirect(new URL('/import?shared=1', origin).href, 303);
}

/** A file parked by the service worker, as the Import page shows it. */
export interface SharedFile {
  /** The cache key it is parked under. */
  key: string;
  name: string;
  /** Bytes. */
  size: number;
}

const nameOf = (key: string): string =>
  new URL(key).searchParams.get('name') || 'my_spotify_data.zip';

/** The files parked by the service worker, left where they are. */
export async function sharedFiles(): Promise<SharedFile[]> {
  if (typeof caches === 'undefined' || !(await caches.has(SHARE_CACHE))) return [];
  const cache = await caches.open(SHARE_CACHE);
  const files: SharedFile[] = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response)
      files.push({
        key: request.url,
        name: nameOf(request.url),
        size: (await response.blob()).size,
      });
  }
  return files;
}

/**
 * Takes parked files out of the cache: those listed in `only` (what the page
 * showed), or all. Whatever else is parked is removed with them.
 */
export async function takeSharedFiles(only?: readonly SharedFile[]): Promise<File[]> {
  if (typeof caches === 'undefined' || !(await caches.has(SHARE_CACHE))) return [];
  const cache = await caches.open(SHARE_CACHE);
  const wanted = only && new Set(only.map((f) => f.key));
  const files: File[] = [];
  for (const request of await cache.keys()) {
    const response = wanted && !wanted.has(request.url) ? undefined : await cache.match(request);
    if (response) files.push(new File([await response.blob()], nameOf(request.url)));
  }
  await caches.delete(SHARE_CACHE);
  return files;
}

/** Removes every parked file unread. */
export async function discardSharedFiles(): Promise<void> {
  if (typeof caches !== 'undefined') await caches.delete(SHARE_CACHE);
}
