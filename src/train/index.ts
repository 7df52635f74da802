/** The seeded fine-tuning loop, the default run of a spec and the frozen-backbone feature cache. */
export type {
  Architecture,
  AugmentConfig,
  BackendName,
  DataConfig,
  Trainable,
  TrainConfig,
} from './config.js'
export { EarlyStopping } from './early-stopping.js'
export { type Evaluation, evaluate } from './evaluate.js'
export {
  clearFeatureMemory,
  type FeatureCacheLocation,
  type FeatureTable,
  featurePath,
  readFeatureTable,
  writeFeatureTable,
} from './feature-cache.js'
export {
  computeFeatureTable,
  createFeatureSource,
  type FeatureSource,
  type FeatureSourceArgs,
  identifyBackbone,
} from './feature-source.js'
export {
  type EpochRecord,
  type FineTuneArgs,
  type FineTuneResult,
  fineTune,
} from './fine-tune.js'
export { fingerprintData, fingerprintTrainConfig } from './fingerprint.js'
export { weightedCrossEntropy } from './loss.js'
export { buildModelInput, gatherImages, type InputRecipe } from './model-input.js'
export { createOptimizer, learningRateAt, setLearningRate } from './optimizer.js'
export {
  type PredictImagesArgs,
  type PredictImagesResult,
  type Prediction,
  predictImages,
} from './predict.js'
export { checkPreparedData, countClasses, type PreparedData } from './prepared-data.js'
export { releaseClassifier } from './release-classifier.js'
export {
  hasRandomAugmentation,
  type MonitoredMetric,
  type ResolvedDataConfig,
  type ResolvedTrainConfig,
  resolveTrainConfig,
} from './resolved-config.js'
export {
  createRng,
  deriveSeed,
  type Rng,
  type SeedPurpose,
  withSeededMathRandom,
} from './seed-streams.js'
export { trainRun } from './train-run.js'
