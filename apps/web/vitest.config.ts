import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [sveltekit()],
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['fake-indexeddb/auto'],
    // `npm test` runs on 2 cores, sometimes beside another full run (issue 12):
    // property tests over fake-indexeddb take seconds there (the plays
    // repository's: 8 s at load 9-12), so no test may fail on vitest's 5 s
    // default for being slow rather than wrong.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
