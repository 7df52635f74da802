/**
 * The data pipeline: labelled image sources, decoding with caches, the stratified split,
 * model-input preprocessing, seeded augmentation on tfjs and class balance.
 */
export {
  type AugmentParams,
  applyAugmentParams,
  augmentBatch,
  DRAWS_PER_IMAGE,
  drawAugmentParams,
  isIdentityAugment,
  type ResolvedAugmentConfig,
  resolveAugmentConfig,
} from './augment.js'
export {
  type Balance,
  type ClassDistribution,
  classDistribution,
  computeClassWeights,
  epochOrder,
} from './balance.js'
export {
  type DecodedImages,
  type DecodeImagesOptions,
  type DecodeStats,
  decodeImages,
  type ResizeMode,
} from './decode.js'
export {
  clearImageMemoryCache,
  DEFAULT_IMAGE_CACHE_DIR,
  DEFAULT_MEMORY_CACHE_BYTES,
  setImageMemoryCacheLimit,
} from './image-cache.js'
export {
  adjustContrast,
  adjustContrastPerImage,
  type Preprocessing,
  toModelInput,
} from './preprocess.js'
export type { SkippedImage } from './probe.js'
export {
  IMAGE_EXTENSIONS,
  type LabelledImages,
  type LabelledImagesOptions,
  listUnlabelledImages,
  loadLabelledImages,
  type UnlabelledImages,
} from './sources.js'
export { type Split, type SplitOptions, stratifiedSplit } from './split.js'
