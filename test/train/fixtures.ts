import * as tf from '@tensorflow/tfjs'
import { decodeImages, loadLabelledImages, stratifiedSplit } from '../../src/data/index.js'
import type { RunContext } from '../../src/spec/run.js'
import type { PreparedData, TrainConfig } from '../../src/train/index.js'

/** The committed Fashion-MNIST fixture: 420 real 28x28 images, 3 classes, 4:2:1. */
export const FASHION3_DIR = 'fixtures/fashion3'

/** The fixture decoded at `size`, with a stratified 20% validation split (seed 42). */
export async function loadFashion3(size: number): Promise<PreparedData> {
  const listed = await loadLabelledImages({ dir: FASHION3_DIR })
  const decoded = await decodeImages({
    paths: listed.items.map((item) => item.path),
    size,
    cacheDir: null,
  })
  const labels = Int32Array.from(decoded.kept, (i) => listed.items[i]!.label)
  const split = stratifiedSplit({ labels, classNames: listed.classNames, seed: 42 })
  return {
    images: { pixels: decoded.pixels, n: decoded.n, size },
    labels,
    classNames: listed.classNames,
    split,
  }
}

/**
 * A tiny classifier split like src/models' classifiers, fast enough for the cpu backend: a seeded conv and
 * pooling as the frozen backbone (null with `trainable: 'all'`), dropout and a dense softmax head.
 */
export function buildTinyClassifier(args: {
  size: number
  seed: number
  dropout?: number
  trainable?: 'frozen' | 'all'
}) {
  const input = tf.input({ shape: [args.size, args.size, 3] })
  const conv = tf.layers.conv2d({
    filters: 8,
    kernelSize: 3,
    strides: 2,
    activation: 'relu',
    kernelInitializer: tf.initializers.glorotUniform({ seed: args.seed + 1 }),
  })
  const pool = tf.layers.globalAveragePooling2d({})
  const dropout = tf.layers.dropout({ rate: args.dropout ?? 0 })
  const dense = tf.layers.dense({
    units: 3,
    activation: 'softmax',
    kernelInitializer: tf.initializers.glorotUniform({ seed: args.seed + 2 }),
  })
  const features = pool.apply(conv.apply(input)) as tf.SymbolicTensor
  const model = tf.model({
    inputs: input,
    outputs: dense.apply(dropout.apply(features)) as tf.SymbolicTensor,
  })
  if (args.trainable === 'all') {
    return {
      model,
      frozen: null,
      trainable: model,
      inputSize: args.size,
      preprocessing: 'tf' as const,
    }
  }

  const frozen = tf.model({ inputs: input, outputs: features })
  const headInput = tf.input({ shape: [8] })
  const head = dense.apply(dropout.apply(headInput)) as tf.SymbolicTensor
  const trainable = tf.model({ inputs: headInput, outputs: head })
  return { model, frozen, trainable, inputSize: args.size, preprocessing: 'tf' as const }
}

/**
 * A run context for `trainRun` on the fixture: compact ResNet on wasm, 5 epochs at learning rate
 * 0.1, random init, with `config` merged over that at the top level.
 */
export function fixtureRunContext(args: {
  config: TrainConfig
  seed?: number
  cacheDir: string
  experiment: string
}): RunContext<TrainConfig> {
  const config: TrainConfig = {
    data: { dir: FASHION3_DIR },
    architecture: 'compact-resnet',
    weights: null,
    backend: 'wasm',
    epochs: 5,
    learningRate: 0.1,
    cacheDir: args.cacheDir,
    ...args.config,
  }
  const signal = new AbortController().signal
  const { seed = 1, experiment } = args
  return { config, seed, signal, experiment, variant: 'test', repetition: 0 }
}
