import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/**/*.test.ts', 'apps/**/*.test.ts', 'apps/**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'e2e/**', '**/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // DuckDB is multi-threaded already; two test files at a time suit a 2-core machine.
    maxWorkers: 2,
  },
});
