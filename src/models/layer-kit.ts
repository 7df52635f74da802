import * as tf from '@tensorflow/tfjs'
import { deriveLayerSeed } from './layer-seed.js'

type Initializer = ReturnType<typeof tf.initializers.glorotUniform>

type Padding = 'same' | 'valid'

/** Arguments of {@link LayerKit.conv}. */
export interface ConvArgs {
  name: string
  filters: number
  kernelSize: number
  /** Default 1. */
  strides?: number
  /** Default 'valid', as in Keras. */
  padding?: Padding
  /** Default true, as in Keras' Conv2D. */
  useBias?: boolean
}

/**
 * Builds Keras-named layers whose random initializers are seeded from the run seed and the layer's
 * name. Architectures call it so that every weight has a reproducible start and a Keras name.
 */
export class LayerKit {
  readonly seed: number

  constructor(seed: number) {
    this.seed = seed
  }

  /** Glorot-uniform initializer (Keras' default for kernels) seeded from the layer name. */
  glorot(name: string): Initializer {
    return tf.initializers.glorotUniform({ seed: deriveLayerSeed({ seed: this.seed, name }) })
  }

  /** Conv2D, kernel HWIO as in Keras. */
  conv(x: tf.SymbolicTensor, args: ConvArgs): tf.SymbolicTensor {
    const layer = tf.layers.conv2d({
      name: args.name,
      filters: args.filters,
      kernelSize: args.kernelSize,
      strides: args.strides ?? 1,
      padding: args.padding ?? 'valid',
      useBias: args.useBias ?? true,
      kernelInitializer: this.glorot(args.name),
    })
    return layer.apply(x) as tf.SymbolicTensor
  }

  /** DepthwiseConv2D with depth multiplier 1 and no bias, as in MobileNetV2. */
  depthwise(x: tf.SymbolicTensor, args: Omit<ConvArgs, 'filters'>): tf.SymbolicTensor {
    const layer = tf.layers.depthwiseConv2d({
      name: args.name,
      kernelSize: args.kernelSize,
      strides: args.strides ?? 1,
      padding: args.padding ?? 'valid',
      useBias: args.useBias ?? false,
      depthwiseInitializer: this.glorot(args.name),
    })
    return layer.apply(x) as tf.SymbolicTensor
  }

  /** BatchNormalization over channels; weights gamma, beta, moving mean, moving variance. */
  bn(
    x: tf.SymbolicTensor,
    args: { name: string; epsilon: number; momentum?: number },
  ): tf.SymbolicTensor {
    const layer = tf.layers.batchNormalization({
      name: args.name,
      axis: -1,
      epsilon: args.epsilon,
      momentum: args.momentum ?? 0.99,
    })
    return layer.apply(x) as tf.SymbolicTensor
  }

  /** Activation layer ('relu' or another tfjs activation name). */
  act(x: tf.SymbolicTensor, name: string, activation: 'relu' = 'relu'): tf.SymbolicTensor {
    return tf.layers.activation({ name, activation }).apply(x) as tf.SymbolicTensor
  }

  /** ReLU capped at 6, Keras' `ReLU(6.)`. */
  relu6(x: tf.SymbolicTensor, name: string): tf.SymbolicTensor {
    return tf.layers.reLU({ name, maxValue: 6 }).apply(x) as tf.SymbolicTensor
  }

  /** Zero padding given as [[top, bottom], [left, right]]. */
  pad(x: tf.SymbolicTensor, name: string, padding: [[number, number], [number, number]]) {
    return tf.layers.zeroPadding2d({ name, padding }).apply(x) as tf.SymbolicTensor
  }

  /** Elementwise sum. */
  add(inputs: tf.SymbolicTensor[], name: string): tf.SymbolicTensor {
    return tf.layers.add({ name }).apply(inputs) as tf.SymbolicTensor
  }

  /** Channel concatenation. */
  concat(inputs: tf.SymbolicTensor[], name: string): tf.SymbolicTensor {
    return tf.layers.concatenate({ name, axis: -1 }).apply(inputs) as tf.SymbolicTensor
  }

  /** Max pooling with 'valid' padding. */
  maxPool(x: tf.SymbolicTensor, args: { name: string; poolSize: number; strides: number }) {
    const layer = tf.layers.maxPooling2d({ ...args, padding: 'valid' })
    return layer.apply(x) as tf.SymbolicTensor
  }

  /** Average pooling with 'valid' padding. */
  avgPool(x: tf.SymbolicTensor, args: { name: string; poolSize: number; strides: number }) {
    const layer = tf.layers.averagePooling2d({ ...args, padding: 'valid' })
    return layer.apply(x) as tf.SymbolicTensor
  }
}
