import { baseline, experiment, variant } from '../src/index.js'
import { FASHION3_CONFIG, STUDY_OPTIONS } from './fashion3.js'

// The fixture is unbalanced 4:2:1; the sampler draws each class equally often in every epoch.
experiment('class balance', { ...STUDY_OPTIONS, config: FASHION3_CONFIG }, () => {
  baseline('unbalanced', { balance: 'none' })
  variant('balanced sampler', { balance: 'sampler' })
})
