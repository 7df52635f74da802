import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { buildClassifier, recalibrateBatchNorm, SeededDropout } from '../../src/models/index.js'

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
})

describe('recalibrateBatchNorm', () => {
  test('sets moving statistics to the average of the batch statistics', async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 3,
      trainable: 'all',
      dropout: 0.5,
    })
    const batches = [1, 2, 3].map((seed) =>
      tf.randomUniform([4, 32, 32, 3], -1, 1, 'float32', seed),
    )
    const conv1 = tf.model({
      inputs: c.model.inputs,
      outputs: c.model.getLayer('conv1_conv').getOutputAt(0) as tf.SymbolicTensor,
    })
    const moments = batches.map((b) =>
      tf.tidy(() => tf.moments(conv1.predict(b) as tf.Tensor, [0, 1, 2])),
    )
    const expectedMean = tf.tidy(() =>
      tf
        .stack(moments.map((m) => m.mean))
        .mean(0)
        .dataSync(),
    )
    const expectedVariance = tf.tidy(() =>
      tf
        .stack(moments.map((m) => m.variance))
        .mean(0)
        .dataSync(),
    )

    const dropout = c.model.getLayer('top_dropout') as SeededDropout
    const twin = new SeededDropout({ rate: 0.5, seed: dropout.seed })
    const result = recalibrateBatchNorm({ model: c.model, batches })

    expect(result).toEqual({ layers: 15, batches: 3 })
    const [, , movingMean, movingVariance] = c.model.getLayer('conv1_bn').getWeights()
    expect(Array.from(movingMean!.dataSync())).toEqual(
      Array.from(expectedMean).map((v) => expect.closeTo(v, 4)),
    )
    expect(Array.from(movingVariance!.dataSync())).toEqual(
      Array.from(expectedVariance).map((v) => expect.closeTo(v, 4)),
    )
    expect(c.model.getLayer('conv1_bn').getConfig().momentum).toBe(0.99)

    // The dropout stream did not move: its next mask is a fresh twin's first mask.
    const ones = tf.ones([2, 64])
    const next = tf.tidy(() => (dropout.apply(ones, { training: true }) as tf.Tensor).dataSync())
    const first = tf.tidy(() => (twin.apply(ones, { training: true }) as tf.Tensor).dataSync())
    expect(next).toEqual(first)
    tf.dispose([...batches, ones, ...moments.flatMap((m) => [m.mean, m.variance])])
  })
})
