import { defineConfig } from 'vitest/config'
import { AblateReporter } from '../../../src/report/index.js'

/**
 * Runs the gate check's tiny study (gate-check.exp.ts) the way `npm run bench` runs the shipped
 * ones: forks, ablate's reporter with the regression gate. Folders come from ABLATE_STORE_DIR,
 * ABLATE_REPORTS_DIR and ABLATE_BASELINES_DIR, which test/studies/gate.test.ts points at a temp dir.
 */
export default defineConfig({
  test: {
    // The repository root, as for `npm run bench`: the default run is imported relative to it.
    root: new URL('../../..', import.meta.url).pathname,
    include: ['test/studies/gate/*.exp.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 0,
    hookTimeout: 120_000,
    includeTaskLocation: true,
    reporters: [new AblateReporter({ live: false })],
  },
})
