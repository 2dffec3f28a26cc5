import { defineConfig } from 'vitest/config';

// Browser journeys against the real server in demo mode. One file at a time:
// each starts its own server, emulator and Chromium on a 2-core machine.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
