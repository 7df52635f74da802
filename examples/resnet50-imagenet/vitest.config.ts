import { defineConfig } from 'vitest/config'
import { htmlReportWriter } from '../../src/report/html.js'
import { AblateReporter } from '../../src/report/index.js'

/**
 * The ResNet50 example, kept out of the default bench. One worker: a GPU (tfjs-node-gpu) or the
 * machine's memory holds one ResNet50 training at a time. Reports go to reports/resnet50-imagenet/
 * unless ABLATE_REPORTS_DIR says otherwise; the store is the usual .ablate/store.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['examples/resnet50-imagenet/*.exp.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 0,
    hookTimeout: 600_000,
    includeTaskLocation: true,
    reporters: [
      'default',
      new AblateReporter({
        reportsDir: process.env.ABLATE_REPORTS_DIR || 'reports/resnet50-imagenet',
        baselinesDir: 'examples/resnet50-imagenet/baselines',
        writers: [htmlReportWriter],
      }),
    ],
  },
})
