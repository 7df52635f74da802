import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  fineTune,
  type PreparedData,
  releaseClassifier,
  resolveTrainConfig,
} from '../../src/train/index.js'
import { buildTinyClassifier, loadFashion3 } from './fixtures.js'

// Its own file, so its own process: tensors must not cross a backend switch (DESIGN.md).
let data: PreparedData

beforeAll(async () => {
  await tf.setBackend('cpu')
  data = await loadFashion3(12)
})

async function train(seed: number) {
  const classifier = buildTinyClassifier({ size: 12, seed, dropout: 0.3 })
  const config = resolveTrainConfig({
    epochs: 2,
    learningRate: 0.05,
    featureCache: 'off',
    augment: { flip: 'horizontal', translate: 0.1 },
  })
  try {
    return await fineTune({ classifier, data, config, seed })
  } finally {
    releaseClassifier(classifier)
  }
}

describe('fineTune on the cpu backend', () => {
  test('the same seed gives identical metrics with dropout and augmentation; another differs', async () => {
    const first = await train(5)
    const again = await train(5)
    const other = await train(6)

    expect(tf.getBackend()).toBe('cpu')
    expect(again.metrics).toEqual(first.metrics)
    expect(again.history.map((e) => e.loss)).toEqual(first.history.map((e) => e.loss))
    expect(other.history.map((e) => e.loss)).not.toEqual(first.history.map((e) => e.loss))
  })
})
