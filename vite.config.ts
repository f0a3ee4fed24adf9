import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Relative base: the built site works from any sub-path (and from file:// for the single-file build).
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { target: 'es2022', sourcemap: false },
  test: {
    globals: true,
    environment: 'node',
    include: ['tests/**/*.test.{ts,tsx}'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 20000,
  },
});
