import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { htmlReportWriter } from './src/report/html.js'
import { AblateReporter } from './src/report/index.js'

/**
 * Experiments (`npm run bench`): one forked process per spec file, as many as there are cores (one
 * single-threaded tfjs run per core scales the study, not the run), no vitest timeouts (each run has
 * the experiment's own `timeoutMs`), and ablate's reporter after vitest's default one.
 */
export default defineConfig({
  test: {
    include: ['experiments/**/*.exp.ts'],
    pool: 'forks',
    maxWorkers: availableParallelism(),
    fileParallelism: true,
    testTimeout: 0,
    hookTimeout: 600_000,
    teardownTimeout: 60_000,
    includeTaskLocation: true,
    passWithNoTests: true,
    reporters: ['default', new AblateReporter({ writers: [htmlReportWriter] })],
  },
})
