import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { SeededDropout } from '../../src/models/index.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function trainingCall(layer: SeededDropout, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (layer.apply(x, { training: true }) as tf.Tensor).dataSync() as Float32Array)
}

describe('SeededDropout', () => {
  test('draws a new mask on every training call, the same sequence for the same seed', () => {
    const x = tf.ones([4, 64])
    const a = new SeededDropout({ rate: 0.5, seed: 9 })
    const b = new SeededDropout({ rate: 0.5, seed: 9 })
    const c = new SeededDropout({ rate: 0.5, seed: 10 })
    const a1 = trainingCall(a, x)
    const a2 = trainingCall(a, x)
    expect(a2).not.toEqual(a1)
    expect(trainingCall(b, x)).toEqual(a1)
    expect(trainingCall(b, x)).toEqual(a2)
    expect(trainingCall(c, x)).not.toEqual(a1)
    a.reseed()
    expect(trainingCall(a, x)).toEqual(a1)
    x.dispose()
  })

  test('keeps units scaled by 1 / (1 - rate), drops about `rate` of them', () => {
    const rate = 0.3
    const x = tf.fill([100, 100], 2)
    const out = trainingCall(new SeededDropout({ rate, seed: 1 }), x)
    x.dispose()
    const kept = out.filter((v) => v !== 0)
    for (const v of kept) expect(v).toBeCloseTo(2 / (1 - rate), 5)
    // 10,000 Bernoulli(0.7) draws: sd of the kept fraction is 0.0046, so +-0.02 is over 4 sd.
    expect(kept.length / out.length).toBeGreaterThan(1 - rate - 0.02)
    expect(kept.length / out.length).toBeLessThan(1 - rate + 0.02)
  })

  test('is the identity in inference and inside predict', () => {
    const input = tf.input({ shape: [8] })
    const layer = new SeededDropout({ rate: 0.9, seed: 3 })
    const model = tf.model({ inputs: input, outputs: layer.apply(input) as tf.SymbolicTensor })
    const x = tf.randomUniform([5, 8], 0, 1, 'float32', 4)
    const predicted = model.predict(x) as tf.Tensor
    const trained = model.apply(x, { training: true }) as tf.Tensor
    expect(predicted.dataSync()).toEqual(x.dataSync())
    expect(trained.dataSync()).not.toEqual(x.dataSync())
    tf.dispose([x, predicted, trained])
  })

  test('serialises rate and seed and rejects a rate outside [0, 1)', () => {
    const layer = new SeededDropout({ rate: 0.25, seed: 77, name: 'top_dropout' })
    expect(layer.getConfig()).toMatchObject({ rate: 0.25, seed: 77, name: 'top_dropout' })
    expect(() => new SeededDropout({ rate: 1, seed: 1 })).toThrow('1')
  })
})
