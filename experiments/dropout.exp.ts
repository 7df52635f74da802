import { baseline, experiment, variant } from '../src/index.js'
import { FASHION3_CONFIG, STUDY_OPTIONS } from './fashion3.js'

// Dropout before the dense softmax head; the frozen backbone's features are cached across variants.
experiment('dropout', { ...STUDY_OPTIONS, config: FASHION3_CONFIG }, () => {
  baseline('0', { dropout: 0 })
  variant('0.1', { dropout: 0.1 })
  variant('0.2', { dropout: 0.2 })
  variant('0.5', { dropout: 0.5 })
})
