import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { AblateError } from '../../src/errors.js'
import { buildClassifier, loadModel, SeededDropout, saveModel } from '../../src/models/index.js'

let dir: string

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
  dir = await mkdtemp(join(tmpdir(), 'ablate-model-io-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('saveModel / loadModel (tfjs layers format on disk)', () => {
  test('round trip gives equal predictions and keeps the seeded dropout', async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 5,
      dropout: 0.3,
    })
    // Move the weights off their initial values so the check is not only about initializers.
    const x = tf.randomUniform([3, 32, 32, 3], -1, 1, 'float32', 3)
    c.trainable.compile({ optimizer: tf.train.sgd(0.05), loss: 'categoricalCrossentropy' })
    const features = c.frozen!.predict(x) as tf.Tensor
    await c.trainable.fit(features, tf.oneHot(tf.tensor1d([0, 1, 2], 'int32'), 3), {
      epochs: 1,
      verbose: 0,
    })

    const target = join(dir, 'fine-tuned')
    await saveModel({ model: c.model, dir: target })
    expect((await readdir(target)).sort()).toEqual(['model.json', 'weights.bin'])

    const loaded = await loadModel({ dir: target })
    const expected = (c.model.predict(x) as tf.Tensor).dataSync()
    const actual = (loaded.predict(x) as tf.Tensor).dataSync()
    expect(actual).toEqual(expected)
    const dropout = loaded.getLayer('top_dropout')
    expect(dropout).toBeInstanceOf(SeededDropout)
    expect((dropout as SeededDropout).rate).toBe(0.3)
    expect(loaded.layers.map((l) => l.name)).toEqual(c.model.layers.map((l) => l.name))
    tf.dispose([x, features])
  })

  test('a missing model names its path', async () => {
    const missing = join(dir, 'nowhere')
    await expect(loadModel({ dir: missing })).rejects.toThrow(AblateError)
    await expect(loadModel({ dir: missing })).rejects.toThrow(missing)
  })
})
