// Web Share Target (Android share sheet -> installed PWA), loaded into the
// Workbox service worker with importScripts (vite.config.ts). Plain JS: the
// worker imports it as is. Mirrors handleShareTarget in
// src/lib/import/share-target.ts (SHARE_ACTION, SHARE_FIELD, SHARE_CACHE and
// the cache keys the Import page reads back); share-target-sw.test.ts holds
// the two together.
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/import/share') return;
  event.respondWith(
    (async () => {
      const form = await request.formData();
      const cache = await caches.open('mtm-share-target');
      let i = 0;
      for (const value of form.getAll('history')) {
        if (typeof value === 'string') continue;
        await cache.put(
          `/import/shared/${i++}?name=${encodeURIComponent(value.name)}`,
          new Response(value),
        );
      }
      return Response.redirect(new URL('/import?shared=1', self.location.href).href, 303);
    })(),
  );
});
