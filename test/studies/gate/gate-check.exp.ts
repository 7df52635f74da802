/**
 * A small copy of the shipped studies for the regression-gate check: the same fixture, backbone and
 * recipe, 3 seeds, fewer epochs. With ABLATE_GATE_DEGRADE=1 the 'candidate' variant is deliberately
 * degraded as a preprocessing bug would: its images are washed out to 5% of their contrast before
 * the backbone, which leaves it little more than each image's mean brightness to go on.
 */
import { FASHION3_CONFIG } from '../../../experiments/fashion3.js'
import { baseline, experiment, variant } from '../../../src/index.js'

const degraded = process.env.ABLATE_GATE_DEGRADE === '1'

experiment(
  'gate check',
  { repetitions: 3, metric: 'f1Macro', config: { ...FASHION3_CONFIG, epochs: 5 } },
  () => {
    baseline('reference', {})
    variant('candidate', degraded ? { contrast: 0.05 } : {})
  },
)
