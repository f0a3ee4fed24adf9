import { defineConfig } from 'vitest/config';

/**
 * Browser tests (npm run test:e2e): the BUILT app (dist/, dist-single/) in headless Chromium. Node environment;
 * one file at a time, one browser per file (tests/e2e/browser.ts), tests in a file in order; long timeouts for a
 * shared two-core machine.
 */
export default defineConfig({
  test: {
    globals: true,
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
