import { defineConfig } from 'vitest/config'

/** Unit and integration tests of ablate itself. Experiments run through vitest.bench.config.ts. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
