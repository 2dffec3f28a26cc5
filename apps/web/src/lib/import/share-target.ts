// Android's share sheet hands the zip to the installed PWA (Web Share Target):
// the manifest's share_target POSTs it as multipart to SHARE_ACTION, the
// service worker parks the file in a cache and redirects to /import?shared=1,
// and the Import page takes it from there. A cache, not IndexedDB, because
// the service worker can store a Response of the file without reading it.
//
// Wiring that lives in files owned by the app shell (vite.config.ts, static/):
//   manifest.share_target = { action: '/import/share', method: 'POST',
//     enctype: 'multipart/form-data',
//     params: { files: [{ name: 'history', accept: ['application/zip', '.zip', 'application/json', '.json'] }] } }
//   workbox.importScripts = ['/share-target-sw.js'], with static/share-target-sw.js:
//     self.addEventListener('fetch', (e) => {
//       if (e.request.method === 'POST' && new URL(e.request.url).pathname === '/import/share')
//         e.respondWith(<handleShareTarget below, in plain JS>(e.request));
//     });
export const SHARE_ACTION = '/import/share';
export const SHARE_FIELD = 'history';
export const SHARE_CACHE = 'mtm-share-target';

/** For the service worker's fetch handler: answers the share-target POST. */
export async function handleShareTarget(request: Request): Promise<Response> {
  const form = await request.formData();
  const cache = await caches.open(SHARE_CACHE);
  let i = 0;
  for (const value of form.getAll(SHARE_FIELD)) {
    if (typeof value === 'string') continue;
    await cache.put(
      `/import/shared/${i++}?name=${encodeURIComponent(value.name)}`,
      new Response(value),
    );
  }
  return Response.redirect('/import?shared=1', 303);
}

/** Files parked by the service worker, removed from the cache as they are taken. */
export async function takeSharedFiles(): Promise<File[]> {
  if (typeof caches === 'undefined') return [];
  const cache = await caches.open(SHARE_CACHE);
  const files: File[] = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (response) {
      const name = new URL(request.url).searchParams.get('name') || 'my_spotify_data.zip';
      files.push(new File([await response.blob()], name));
    }
    await cache.delete(request);
  }
  return files;
}
