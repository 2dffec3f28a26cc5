import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
export default {
  preprocess: vitePreprocess(),
  kit: {
    // A single-page app: every route is rendered in the browser from IndexedDB,
    // so the server (and the service worker, offline) answer unknown paths with index.html.
    adapter: adapter({ fallback: 'index.html' }),
    // @vite-pwa/sveltekit generates and registers the service worker itself.
    serviceWorker: { register: false },
    typescript: {
      // the browser tests and their harness are typechecked with the app
      config: (tsconfig) => {
        tsconfig.include.push(
          '../e2e/**/*.ts',
          '../scripts/**/*.ts',
          '../bench/**/*.ts',
          '../vitest.config.ts',
          '../vitest.e2e.config.ts',
        );
      },
    },
  },
};
