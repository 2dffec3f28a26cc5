import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // CI and the shared dev machine run many suites on 2 cores: some of these
    // tests model thousands of days of listening, which can take seconds there.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
