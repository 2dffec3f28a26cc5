import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // `npm test` runs on 2 cores, sometimes beside another full run (issue 12):
    // property tests and tests that start servers take seconds there, so no
    // test may fail on vitest's 5 s default for being slow rather than wrong.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
