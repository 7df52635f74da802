import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { stratifiedSplit } from '../../src/data/index.js'
import { AblateError } from '../../src/errors.js'

/** Label arrays of 2..5 classes, every class with at least 2 images, in shuffled order. */
const labelsArb = fc
  .array(fc.integer({ min: 2, max: 40 }), { minLength: 2, maxLength: 5 })
  .chain((sizes) =>
    fc
      .shuffledSubarray(
        sizes.flatMap((size, label) => Array.from({ length: size }, () => label)),
        { minLength: sizes.reduce((a, b) => a + b, 0) },
      )
      .map((labels) => ({ labels, classes: sizes.length })),
  )

const names = (k: number) => Array.from({ length: k }, (_, i) => `c${i}`)

describe('stratifiedSplit', () => {
  test('sides are disjoint, cover every image, and keep each class within rounding (fast-check)', () => {
    fc.assert(
      fc.property(
        labelsArb,
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (data, fraction, seed) => {
          const { labels, classes } = data
          const split = stratifiedSplit({
            labels,
            classNames: names(classes),
            validationFraction: fraction,
            seed,
          })
          const all = [...split.train, ...split.validation].sort((a, b) => a - b)
          expect(all).toEqual(labels.map((_, i) => i))
          for (let c = 0; c < classes; c++) {
            const size = labels.filter((l) => l === c).length
            const held = [...split.validation].filter((i) => labels[i] === c).length
            const expected = Math.min(size - 1, Math.max(1, Math.round(size * fraction)))
            expect(held).toBe(expected)
            // Within rounding of the exact share, unless clamped to keep one image on each side.
            const clamped = held === 1 || held === size - 1
            if (!clamped) expect(Math.abs(held - size * fraction)).toBeLessThanOrEqual(0.5)
            expect(split.counts.validation[c]).toBe(held)
            expect(split.counts.train[c]).toBe(size - held)
          }
        },
      ),
      { numRuns: 200 },
    )
  })

  test('the same seed gives the same split; different seeds give different splits (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (a, b) => {
        fc.pre(a !== b)
        const labels = Array.from({ length: 120 }, (_, i) => i % 3)
        const classNames = names(3)
        const first = stratifiedSplit({ labels, classNames, seed: a })
        expect(stratifiedSplit({ labels, classNames, seed: a })).toEqual(first)
        // 3 classes of 40, 8 held out each: C(40, 8)^3 possible splits, a collision is negligible.
        expect(stratifiedSplit({ labels, classNames, seed: b }).validation).not.toEqual(
          first.validation,
        )
      }),
      { numRuns: 50 },
    )
  })

  test('defaults to 20% and returns ascending index arrays', () => {
    const labels = [...Array(50).fill(0), ...Array(20).fill(1), ...Array(10).fill(2)]
    const split = stratifiedSplit({ labels, classNames: ['a', 'b', 'c'], seed: 7 })
    expect(split.counts).toEqual({ train: [40, 16, 8], validation: [10, 4, 2] })
    expect([...split.train]).toEqual([...split.train].sort((a, b) => a - b))
    expect(split.train).toBeInstanceOf(Int32Array)
  })

  test('keeps one validation image for a tiny class, and one training image', () => {
    const labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    const split = stratifiedSplit({
      labels,
      classNames: ['big', 'tiny'],
      validationFraction: 0.01,
      seed: 1,
    })
    expect(split.counts.validation).toEqual([1, 1])
    const most = stratifiedSplit({
      labels,
      classNames: ['big', 'tiny'],
      validationFraction: 0.99,
      seed: 1,
    })
    expect(most.counts.train).toEqual([1, 1])
  })

  test('a class with one image cannot appear on both sides: the error names it', () => {
    const call = () =>
      stratifiedSplit({ labels: [0, 0, 0, 1], classNames: ['cat', 'okapi'], seed: 1 })
    expect(call).toThrow(AblateError)
    expect(call).toThrow(/'okapi'.*found 1/)
  })

  test('rejects a bad fraction and out-of-range labels, naming the value', () => {
    expect(() =>
      stratifiedSplit({ labels: [0, 0], classNames: ['a'], validationFraction: 1.5, seed: 1 }),
    ).toThrow(/1\.5/)
    expect(() => stratifiedSplit({ labels: [0, 3], classNames: ['a'], seed: 1 })).toThrow(/found 3/)
  })
})
