import * as tf from '@tensorflow/tfjs'
import { describe, expect, test } from 'vitest'
import { createOptimizer, learningRateAt, setLearningRate } from '../../src/train/optimizer.js'

describe('learningRateAt', () => {
  test('without a schedule the rate is constant', () => {
    expect(learningRateAt({ schedule: null, baseRate: 0.01, epoch: 7, epochs: 10 })).toBe(0.01)
  })

  test('cosine starts at the base rate, halves at mid-run and decays towards 0', () => {
    const at = (epoch: number) =>
      learningRateAt({ schedule: { kind: 'cosine' }, baseRate: 0.1, epoch, epochs: 10 })

    expect(at(0)).toBeCloseTo(0.1, 12)
    expect(at(5)).toBeCloseTo(0.05, 12)
    // 0.1 * 0.5 * (1 + cos(0.9 pi)) = 0.0024471741852423
    expect(at(9)).toBeCloseTo(0.0024471741852423, 12)
  })

  test('step multiplies by the factor every few epochs', () => {
    const schedule = { kind: 'step' as const, everyEpochs: 3, factor: 0.5 }
    const rates = [0, 2, 3, 6].map((epoch) =>
      learningRateAt({ schedule, baseRate: 0.08, epoch, epochs: 10 }),
    )

    expect(rates).toEqual([0.08, 0.08, 0.04, 0.02])
  })
})

describe('setLearningRate', () => {
  test.each(['adam', 'sgd', 'rmsprop'] as const)('changes the step size of %s', (kind) => {
    const step = (learningRate: number) => {
      const optimizer = createOptimizer({ kind, learningRate: 1 })
      setLearningRate(optimizer, learningRate)
      const x = tf.variable(tf.scalar(1))
      optimizer.minimize(() => tf.square(x) as tf.Scalar)
      const moved = 1 - x.dataSync()[0]!
      tf.dispose([x])
      optimizer.dispose()
      return moved
    }

    expect(step(0.01)).toBeGreaterThan(0)
    expect(step(0.02)).toBeGreaterThan(step(0.01) * 1.5)
  })
})
