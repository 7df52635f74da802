import * as tf from '@tensorflow/tfjs'
import type { ResolvedTrainConfig } from './resolved-config.js'

/** Creates the configured optimizer. The caller disposes it (it holds slot variables). */
export function createOptimizer(args: {
  kind: ResolvedTrainConfig['optimizer']
  learningRate: number
}): tf.Optimizer {
  switch (args.kind) {
    case 'adam':
      return tf.train.adam(args.learningRate)
    case 'sgd':
      return tf.train.sgd(args.learningRate)
    case 'rmsprop':
      return tf.train.rmsprop(args.learningRate)
  }
}

/** Sets the optimizer's learning rate for the next steps (SGD caches it as a tensor, hence a method). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  // tfjs optimizers answer `instanceof` for any optimizer class, so test for the method itself.
  const withRate = optimizer as tf.Optimizer & {
    learningRate: number
    setLearningRate?: (rate: number) => void
  }
  if (typeof withRate.setLearningRate === 'function') withRate.setLearningRate(learningRate)
  else withRate.learningRate = learningRate
}

/**
 * The learning rate of a 0-based epoch. Cosine decays from `baseRate` towards 0 over `epochs`
 * (half a cosine period, Loshchilov and Hutter's SGDR without restarts); step multiplies by
 * `factor` every `everyEpochs` epochs.
 */
export function learningRateAt(args: {
  schedule: ResolvedTrainConfig['lrSchedule']
  baseRate: number
  epoch: number
  epochs: number
}): number {
  const { schedule, baseRate, epoch, epochs } = args
  if (schedule === null) return baseRate
  if (schedule.kind === 'cosine') return baseRate * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs))
  return baseRate * schedule.factor ** Math.floor(epoch / schedule.everyEpochs)
}
