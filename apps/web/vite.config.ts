import { sveltekit } from '@sveltejs/kit/vite';
import { SvelteKitPWA } from '@vite-pwa/sveltekit';
import { defineConfig } from 'vite';

const THEME = '#1f1b2e';

export default defineConfig({
  plugins: [
    sveltekit(),
    SvelteKitPWA({
      registerType: 'prompt',
      // SvelteKit builds with relative paths (base './'), which the plugin
      // would copy into the registration: opened first on /diary/2024-05, the
      // app asked for /diary/sw.js (404) with scope /diary/, so no worker
      // and no update check there. The worker lives at the root, for the root.
      base: '/',
      scope: '/',
      // see TOOLCHAIN.md: with adapter-static the fallback page is the shell
      kit: { adapterFallback: 'index.html', spa: true },
      workbox: {
        globPatterns: ['client/**/*.{js,css,html,ico,png,svg,webmanifest}'],
        // The plugin answers every navigation with the app shell (adapterFallback);
        // the server's own pages must reach the network, or "Connect Spotify"
        // and the OAuth callback render the SPA's 404 once the worker is active.
        navigateFallbackDenylist: [/^\/auth\//, /^\/api\//, /^\/healthz/],
        // Web Share Target: the share sheet's POST is answered by this script
        // (see src/lib/import/share-target.ts for the whole path of the file);
        // the periodic background capture (issue 14) is built from the page's
        // own sync code by vite.sw.config.ts
        importScripts: ['/share-target-sw.js', '/background-capture-sw.js'],
      },
      manifest: {
        name: 'Music Time Machine',
        short_name: 'Time Machine',
        description:
          'Your musical diary: what you had on repeat, month by month, kept on this device.',
        theme_color: THEME,
        background_color: THEME,
        display: 'standalone',
        start_url: '/',
        scope: '/',
        // Android's share sheet offers the installed app for the export zip
        share_target: {
          action: '/import/share',
          method: 'POST',
          enctype: 'multipart/form-data',
          params: {
            files: [
              { name: 'history', accept: ['application/zip', '.zip', 'application/json', '.json'] },
            ],
          },
        },
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
    }),
  ],
  build: {
    manifest: true,
    rollupOptions: {
      output: {
        // One chunk for what three or more route entries share (the Svelte and
        // SvelteKit runtimes, lib/app, lib/db, lib/spotify, lib/sync, the
        // client, Dexie, core's ids and calendar). Left to itself the bundler
        // cut that code into ~20 chunks, most under 3 KB, and a first open
        // fetched every one: over HTTP/1.1 (what the server speaks) a phone on
        // a slow network pays a round trip per request beyond six at a time,
        // and Lighthouse counts exactly that (issue 12: 28 requests on / became
        // 19, and the same bytes compress better as one file). Outbox and
        // backup code stay out of it: the root layout loads the outbox lazily,
        // and only the pages that use them need the rest. So do the covers:
        // their component brings a stylesheet, which in this chunk would be
        // one more render-blocking request on every page, covers or not.
        codeSplitting: {
          groups: [
            {
              name: 'shared',
              minShareCount: 3,
              test: (id: string) =>
                !/[\\/]src[\\/]lib[\\/](outbox[\\/]|backup[\\/]|covers[\\/]|ui[\\/]cover-art)/.test(
                  id,
                ),
            },
          ],
        },
      },
      treeshake: {
        // @mtm/core is pure (no I/O, no globals: ARCHITECTURE.md), but its
        // package.json does not say so, and its top-level zod schemas look
        // like side effects: without this the diary would ship the privacy-
        // export parser and zod (~28 KB gzip) on first load.
        moduleSideEffects: (id: string) => !/[\\/]packages[\\/]core[\\/]dist[\\/]/.test(id),
      },
    },
  },
});
