import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  test: {
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    // `npm test` runs on 2 cores, sometimes beside another full run (issue 12):
    // property tests over fake-indexeddb take seconds there (the plays
    // repository's: 8 s at load 9-12), so no test may fail on vitest's 5 s
    // default for being slow rather than wrong.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'src/**/*.client.svelte.test.ts'],
        },
      },
      {
        // runes in Svelte's client runtime, where effects run
        extends: true,
        test: {
          name: 'client-runtime',
          include: ['src/**/*.client.svelte.test.ts'],
          environment: './src/test-support/client-runtime-env.ts',
        },
      },
    ],
  },
});
