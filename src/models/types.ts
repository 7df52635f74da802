import type * as tf from '@tensorflow/tfjs'
import type { Architecture, Trainable } from '../train/config.js'
import type { LayerKit } from './layer-kit.js'

/**
 * How pixels (0..255 RGB) become model input. `caffe`: BGR minus ImageNet means; `tf`: scaled to
 * [-1, 1]; `torch`: scaled to [0, 1] then standardised with ImageNet mean and sd.
 */
export type Preprocessing = 'caffe' | 'tf' | 'torch'

/** Keras Applications' published ImageNet weights (no top) for an architecture. */
export interface ImagenetWeightsSource {
  /** Path under the Keras Applications base URL, e.g. `resnet/resnet50_..._notop.h5`. */
  urlPath: string
  /** File name in the Keras cache folder. */
  fileName: string
  /** Published md5 of the file, or null where Keras publishes none (then the file is unchecked). */
  md5: string | null
}

/** One architecture of the zoo: how to build its backbone and where its stages end. */
export interface ArchitectureSpec {
  name: Architecture
  /** Input side in pixels when none is given. */
  defaultInputSize: number
  /** Smallest input side the backbone accepts. */
  minInputSize: number
  preprocessing: Preprocessing
  /**
   * Names of the layers whose outputs end the stem and then each stage, in order: the backbone has
   * `stageEnds.length - 1` stages, and each end is a single tensor that cuts the graph in two.
   */
  stageEnds: readonly string[]
  /** Builds the backbone from an image input to its last feature map (before pooling). */
  buildBackbone: (args: { input: tf.SymbolicTensor; kit: LayerKit }) => tf.SymbolicTensor
  /** Published ImageNet weights, absent for ablate's own architectures. */
  imagenet?: ImagenetWeightsSource
}

/** Options of {@link buildClassifier}. */
export interface BuildClassifierOptions {
  architecture: Architecture
  /** Number of output classes, at least 2. */
  numClasses: number
  /** Default: the architecture's own size (224 for zoo models, 32 for compact-resnet). */
  inputSize?: number
  /** Default 0. Dropout rate before the dense softmax, in [0, 1). */
  dropout?: number
  /**
   * Default null (random weights). `'imagenet'`: Keras Applications' file, downloaded on first use;
   * a string: a Keras 2 .h5 file. Its `predictions` layer, if any, is ignored (a new head is made).
   */
  weights?: 'imagenet' | string | null
  /** Default 'frozen'. */
  trainable?: Trainable
  /** Seed of every new layer's initial weights and of the dropout masks. */
  seed: number
}

/** {@link BuildClassifierOptions} with every default filled in. */
export interface ResolvedBuildClassifierOptions {
  architecture: Architecture
  numClasses: number
  inputSize: number
  dropout: number
  weights: 'imagenet' | string | null
  trainable: Trainable
  seed: number
}

/**
 * A backbone with a classification head, split for fine-tuning. `model` runs image to softmax.
 * `frozen` (image to intermediate features) is only ever run in inference mode and never trained,
 * so its BatchNorm layers keep their moving statistics; `trainable` maps those features (or the
 * image when `frozen` is null) to the softmax and is what gets fitted. All three share layer
 * objects: fitting `trainable` updates `model`.
 */
export interface Classifier {
  architecture: Architecture
  /** Square input side in pixels. */
  inputSize: number
  numClasses: number
  preprocessing: Preprocessing
  /** The freezing mode this split implements. */
  trainableMode: Trainable
  model: tf.LayersModel
  frozen: tf.LayersModel | null
  trainable: tf.LayersModel
  /** Shape of one example at `trainable`'s input, without the batch axis. */
  featureShape: number[]
  /** The layer whose output ends `frozen` (e.g. `avg_pool`, `conv4_block6_out`); null for 'all'. */
  cutLayer: string | null
}

/** Sizes of a classifier, for run records and logs. */
export interface ClassifierSummary {
  architecture: string
  inputSize: number
  numClasses: number
  cutLayer: string | null
  /** Parameters of the whole model, of the part that trains, and of the frozen part. */
  params: number
  trainableParams: number
  frozenParams: number
}
