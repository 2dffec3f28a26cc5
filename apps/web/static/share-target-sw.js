// Web Share Target (Android share sheet -> installed PWA), loaded into the
// Workbox service worker with importScripts (vite.config.ts). Plain JS: the
// worker imports it as is. Mirrors fromAnotherOrigin, REFUSED_PAGE and
// handleShareTarget in src/lib/import/share-target.ts (the cache, the field,
// the cache keys the Import page reads back, and why a POST from another
// origin is refused); share-target-sw.test.ts holds the two together.
(() => {
  const SHARE_CACHE = 'mtm-share-target';

  const REFUSED_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Files not accepted · Music Time Machine</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 34rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<h1>These files were not accepted</h1>
<p>Another website tried to send files to Music Time Machine. Nothing was saved and nothing was imported.</p>
<p>To import your Spotify history, share my_spotify_data.zip to the app from your phone's share sheet, or open <a href="/import">Import</a> in the app.</p>
</body></html>`;

  // Saying nothing is allowed (the share sheet sends no Referer); saying
  // another origin is not. Chromium shows a service worker no Sec-Fetch-Site,
  // so a page can hide where it comes from: the Import page still asks first.
  function fromAnotherOrigin(request, origin) {
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

  self.addEventListener('fetch', (event) => {
    const request = event.request;
    const url = new URL(request.url);
    const origin = self.location.origin;
    if (request.method !== 'POST' || url.origin !== origin || url.pathname !== '/import/share')
      return;
    event.respondWith(
      (async () => {
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
        for (const value of form.getAll('history')) {
          if (typeof value === 'string') continue;
          await cache.put(
            `/import/shared/${share}/${i++}?name=${encodeURIComponent(value.name)}`,
            new Response(value),
          );
        }
        return Response.redirect(new URL('/import?shared=1', origin).href, 303);
      })(),
    );
  });
})();
