// The service worker's background capture (issue 14, src/lib/gaps/background-sw.ts)
// as one classic script, build/background-capture-sw.js, which the generated
// worker loads with importScripts (vite.config.ts). Built after the app
// (package.json "build"), from the same TypeScript modules as the page's
// sync: one capture code path, not a hand-written copy like share-target-sw.js.
// Why not injectManifest: the generated worker's routing and precache
// (navigation fallback and its deny list, the share target) are tested as
// they are; the capture needs only one event listener beside them.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'build',
    emptyOutDir: false,
    sourcemap: false,
    lib: {
      entry: 'src/lib/gaps/background-sw.ts',
      formats: ['iife'],
      name: 'mtmBackgroundCapture',
      fileName: () => 'background-capture-sw.js',
    },
    rollupOptions: {
      // @mtm/core is pure (see vite.config.ts): without this its zod schemas
      // would ride along into the worker for nothing
      treeshake: {
        moduleSideEffects: (id: string) => !/[\\/]packages[\\/]core[\\/]dist[\\/]/.test(id),
      },
    },
  },
});
