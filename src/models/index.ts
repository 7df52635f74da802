/** Architectures in Keras layout, the classification head, freezing, Keras .h5 weights, I/O. */
export {
  buildClassifier,
  HEAD_LAYERS,
  resolveBuildClassifierOptions,
  summarizeClassifier,
} from './build-classifier.js'
export { md5OfFile } from './file-md5.js'
export type { ResolveImagenetWeightsOptions } from './imagenet-weights.js'
export {
  KERAS_APPLICATIONS_BASE_URL,
  kerasCacheDir,
  resolveImagenetWeights,
} from './imagenet-weights.js'
export type { KerasWeightsLoadSummary } from './keras-weights-read.js'
export { loadKerasWeights, readKerasWeightsFile } from './keras-weights-read.js'
export { writeKerasWeights } from './keras-weights-write.js'
export { deriveLayerSeed } from './layer-seed.js'
export { loadModel, saveModel } from './model-io.js'
export { recalibrateBatchNorm } from './recalibrate-batch-norm.js'
export type { SeededDropoutArgs } from './seeded-dropout.js'
export { SeededDropout } from './seeded-dropout.js'
export type { ModelSplit } from './split-model.js'
export { splitModelAt } from './split-model.js'
export type { StoredLayer, StoredWeights } from './stored-weights.js'
export type {
  ArchitectureSpec,
  BuildClassifierOptions,
  Classifier,
  ClassifierSummary,
  ImagenetWeightsSource,
  Preprocessing,
  ResolvedBuildClassifierOptions,
} from './types.js'
export { getArchitectureSpec, listArchitectures } from './zoo.js'
