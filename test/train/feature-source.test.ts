import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  computeFeatureTable,
  identifyBackbone,
  type PreparedData,
  releaseClassifier,
} from '../../src/train/index.js'
import { buildTinyClassifier } from './fixtures.js'

const SIZE = 8

/** Six deterministic 8x8 RGB images (a gradient shifted per image), labels 0, 1, 2, 0, 1, 2. */
function makeData(): PreparedData {
  const n = 6
  const pixels = Uint8Array.from(
    { length: n * SIZE * SIZE * 3 },
    (_, i) => (i * 7 + (i >> 6)) % 256,
  )
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3)
  const split = { train: Int32Array.of(0, 1, 2, 3), validation: Int32Array.of(4, 5) }
  return { images: { pixels, n, size: SIZE }, labels, classNames: ['a', 'b', 'c'], split }
}

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('identifyBackbone', () => {
  test('equal for equally seeded backbones built apart (layer names differ), else different', async () => {
    const a = buildTinyClassifier({ size: SIZE, seed: 1 })
    const b = buildTinyClassifier({ size: SIZE, seed: 1 })
    const c = buildTinyClassifier({ size: SIZE, seed: 2 })

    expect(a.frozen!.layers[1]!.name).not.toBe(b.frozen!.layers[1]!.name)
    expect(await identifyBackbone(a.frozen!)).toBe(await identifyBackbone(b.frozen!))
    expect(await identifyBackbone(c.frozen!)).not.toBe(await identifyBackbone(a.frozen!))
    b.frozen!.layers[1]!.setWeights(b.frozen!.layers[1]!.getWeights().map((w) => tf.add(w, 1e-6)))
    expect(await identifyBackbone(b.frozen!)).not.toBe(await identifyBackbone(a.frozen!))
    for (const classifier of [a, b, c]) releaseClassifier(classifier)
  })
})

describe('computeFeatureTable', () => {
  test('holds exactly what the backbone predicts for each image, whatever the chunk size', async () => {
    const data = makeData()
    const classifier = buildTinyClassifier({ size: SIZE, seed: 3 })
    const recipe = { contrast: 2, augment: null, preprocessing: 'tf' as const }
    const whole = await computeFeatureTable({
      frozen: classifier.frozen!,
      data,
      recipe,
      batchSize: 6,
    })
    const chunked = await computeFeatureTable({
      frozen: classifier.frozen!,
      data,
      recipe,
      batchSize: 4,
    })
    const direct = tf.tidy(() => {
      const images = tf.tensor4d(Float32Array.from(data.images.pixels), [6, SIZE, SIZE, 3])
      const mean = images.mean([1, 2], true)
      const contrasted = images.sub(mean).mul(2).add(mean).clipByValue(0, 255)
      return (classifier.frozen!.predict(contrasted.div(127.5).sub(1)) as tf.Tensor).dataSync()
    })

    expect(whole.shape).toEqual([8])
    expect(whole.n).toBe(6)
    expect(chunked.values).toEqual(whole.values)
    expect(Array.from(whole.values)).toEqual(Array.from(direct))
    releaseClassifier(classifier)
  })
})
