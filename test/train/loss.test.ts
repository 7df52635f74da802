import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { weightedCrossEntropy } from '../../src/train/loss.js'

const loss = (probabilities: number[][], labels: number[], weights: number[] | null) =>
  tf.tidy(() =>
    weightedCrossEntropy({
      probabilities: tf.tensor2d(probabilities),
      labels: tf.tensor1d(labels, 'int32'),
      classWeights: weights === null ? null : tf.tensor1d(weights),
    }).arraySync(),
  )

describe('weightedCrossEntropy', () => {
  test('matches the hand-computed value', () => {
    const probabilities = [
      [0.7, 0.2, 0.1],
      [0.1, 0.3, 0.6],
    ]
    // -(ln 0.7 + ln 0.3) / 2 = 0.7803238741323343; weighted (1, 3): -(ln 0.7 + 3 ln 0.3) / 2 = 1.9842966784582705 (Python math.log)
    expect(loss(probabilities, [0, 1], null)).toBeCloseTo(0.7803238741323343, 5)
    expect(loss(probabilities, [0, 1], [1, 3, 1])).toBeCloseTo(1.9842966784582705, 5)
  })

  test('a certain wrong answer stays finite (probabilities clipped)', () => {
    expect(Number.isFinite(loss([[1, 0]], [1], null))).toBe(true)
  })

  test('unit weights change nothing; scaling all weights scales the loss', () => {
    const row = fc
      .array(fc.float({ min: Math.fround(0.05), max: 1, noNaN: true }), {
        minLength: 3,
        maxLength: 3,
      })
      .map((values) => values.map((v) => v / values.reduce((a, b) => a + b, 0)))
    const batch = fc.array(fc.tuple(row, fc.integer({ min: 0, max: 2 })), {
      minLength: 1,
      maxLength: 6,
    })

    fc.assert(
      fc.property(
        batch,
        fc.float({ min: Math.fround(0.1), max: 10, noNaN: true }),
        (rows, scale) => {
          const probabilities = rows.map(([p]) => p)
          const labels = rows.map(([, label]) => label)
          const plain = loss(probabilities, labels, null)

          expect(loss(probabilities, labels, [1, 1, 1])).toBeCloseTo(plain, 5)
          expect(loss(probabilities, labels, [scale, scale, scale])).toBeCloseTo(plain * scale, 4)
        },
      ),
      { numRuns: 50 },
    )
  })
})

describe('weightedCrossEntropy on non-finite input', () => {
  test('NaN or infinite probabilities give a NaN loss even though they are clipped', () => {
    expect(loss([[Number.NaN, 0.5, 0.5]], [1], null)).toBeNaN()
    expect(loss([[Number.POSITIVE_INFINITY, 0, 0]], [0], null)).toBeNaN()
  })
})
