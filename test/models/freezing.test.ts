import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { buildClassifier } from '../../src/models/index.js'
import { layerWeights } from './weights.js'

// Training needs conv gradients: initBackend registers the ones wasm lacks (cpu is far too slow).
beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
})

describe('freezing: the frozen part stays in inference mode while the trainable part fits', () => {
  test('lastStages 1: BatchNorm statistics before the cut never move, those after it do', async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 4,
      trainable: { lastStages: 1 },
      dropout: 0.2,
    })
    const frozenNames = [
      'conv1_bn',
      'conv2_block1_1_bn',
      'conv3_block2_2_bn',
      'conv3_block1_0_conv',
    ]
    const trainedNames = ['conv4_block1_1_bn', 'conv4_block2_2_conv', 'predictions']
    const before = layerWeights(c.model, [...frozenNames, ...trainedNames])

    const x = tf.randomUniform([8, 32, 32, 3], -1, 1, 'float32', 1)
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3)
    const features = c.frozen!.predict(x) as tf.Tensor
    c.trainable.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' })
    await c.trainable.fit(features, y, { epochs: 2, batchSize: 4, shuffle: false, verbose: 0 })

    const after = layerWeights(c.model, [...frozenNames, ...trainedNames])
    for (const name of frozenNames) expect(after.get(name), name).toEqual(before.get(name))
    for (const name of trainedNames) expect(after.get(name), name).not.toEqual(before.get(name))
    // moving_mean (index 2) of a trained stage's BatchNorm moved: it trains in training mode.
    expect(after.get('conv4_block1_1_bn')![2]).not.toEqual(before.get('conv4_block1_1_bn')![2])

    const viaSplit = c.trainable.predict(c.frozen!.predict(x) as tf.Tensor) as tf.Tensor
    const full = c.model.predict(x) as tf.Tensor
    expect(Array.from(viaSplit.dataSync())).toEqual(
      Array.from(full.dataSync()).map((v) => expect.closeTo(v, 5)),
    )
    tf.dispose([x, y, features, viaSplit, full])
  })

  test("'frozen': fitting the head changes only the head", async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 8,
      dropout: 0.5,
    })
    expect(c.trainable.layers.map((l) => l.name)).toEqual([
      'avg_pool_features',
      'top_dropout',
      'predictions',
    ])
    const backbone = ['conv1_bn', 'conv4_block2_2_bn', 'conv4_block2_2_conv']
    const before = layerWeights(c.model, [...backbone, 'predictions'])

    const features = tf.randomUniform([6, 64], 0, 1, 'float32', 2)
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3)
    c.trainable.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' })
    await c.trainable.fit(features, y, { epochs: 1, batchSize: 3, shuffle: false, verbose: 0 })

    const after = layerWeights(c.model, [...backbone, 'predictions'])
    for (const name of backbone) expect(after.get(name), name).toEqual(before.get(name))
    expect(after.get('predictions')).not.toEqual(before.get('predictions'))
    tf.dispose([features, y])
  })
})
