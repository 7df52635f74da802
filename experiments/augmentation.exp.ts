import { baseline, experiment, variant } from '../src/index.js'
import { FASHION3_CONFIG, STUDY_OPTIONS } from './fashion3.js'

// Random augmentation is drawn per epoch from the run seed, so the backbone runs on every epoch's
// images (no feature cache); the baseline alone reuses cached features.
experiment('augmentation', { ...STUDY_OPTIONS, config: FASHION3_CONFIG }, () => {
  baseline('none', { augment: {} })
  variant('flip', { augment: { flip: 'horizontal' } })
  variant('flip + rotation 54', { augment: { flip: 'horizontal', rotationDeg: 54 } })
  variant('flip + rotation 30', { augment: { flip: 'horizontal', rotationDeg: 30 } })
  variant('flip + rotation 30 + contrast', {
    augment: { flip: 'horizontal', rotationDeg: 30, contrast: 0.3 },
  })
  variant('flip + rotation 30 + translation', {
    augment: { flip: 'horizontal', rotationDeg: 30, translate: 0.1 },
  })
})
