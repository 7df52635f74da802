import { baseline, experiment, variant } from '../src/index.js'
import { FASHION3_CONFIG, STUDY_OPTIONS } from './fashion3.js'

// Contrast x2 around each image's mean, applied before the frozen backbone (cached features).
experiment('contrast', { ...STUDY_OPTIONS, config: FASHION3_CONFIG }, () => {
  baseline('original', { contrast: 1 })
  variant('x2', { contrast: 2 })
})
