import { defineConfig } from 'vitest/config';

/**
 * Browser tests (npm run test:e2e): the BUILT app (dist/, dist-single/) in headless Chromium. Node environment;
 * one file at a time, one browser per file (tests/e2e/browser.ts), tests in a file in order; long timeouts for a
 * shared two-core machine (tests wait on conditions, so a long timeout costs time only when a test fails).
 */
export default defineConfig({
  test: {
    globals: true,
    environment: 'node',
    include: ['tests/e2e/**/*.test.ts'],
    fileParallelism: false,
    sequence: { concurrent: false },
    // expect.poll waits on a condition and returns as soon as it holds; its default of one second is a guess at
    // how fast the page is. Give it the time a Playwright locator wait has (30 s): it only matters on failure.
    expect: { poll: { timeout: 30_000 } },
    testTimeout: 90_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
