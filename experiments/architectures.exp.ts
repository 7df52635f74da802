import { baseline, experiment, variant } from '../src/index.js'
import { FASHION3_CONFIG, STUDY_OPTIONS } from './fashion3.js'

// No ImageNet weights are reachable offline, so the zoo architectures start from random
// initialisation (seeded by the run seed) at 32x32 and stay frozen like the baseline: each variant
// trains the same head on its backbone's features. Training them end to end does not fit the
// bench's 10-minute budget on 2 CPU cores (measured here: MobileNetV2 at 32x32 trained at 3.2 img/s
// on wasm, batch 32, on the shared machine; 336 training images x several epochs x 6 seeds).
// 'compact-resnet random init' separates what the pretraining buys from what the architecture does.
const description =
  'The zoo backbones start from seeded random weights (no ImageNet weights are reachable offline) ' +
  'and stay frozen like the baseline; only the head trains. This measures what pretraining buys, ' +
  'not how the architectures compare when pretrained.'

experiment('architectures', { ...STUDY_OPTIONS, config: FASHION3_CONFIG, description }, () => {
  baseline('compact-resnet pretrained', {})
  variant('compact-resnet random init', { weights: null })
  variant('mobilenetv2 random init', { architecture: 'mobilenetv2', weights: null })
  variant('resnet50 random init', { architecture: 'resnet50', weights: null })
})
