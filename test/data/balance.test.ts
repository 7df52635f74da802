import fc from 'fast-check'
import seedrandom from 'seedrandom'
import { describe, expect, test } from 'vitest'
import { classDistribution, computeClassWeights, epochOrder } from '../../src/data/index.js'

const labelsArb = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 200 })

describe('computeClassWeights', () => {
  test('matches sklearn compute_class_weight("balanced")', () => {
    // sklearn 1.2.1: compute_class_weight('balanced', classes=[0, 1, 2],
    //   y=[0]*240 + [1]*120 + [2]*60)
    const labels = [...Array(240).fill(0), ...Array(120).fill(1), ...Array(60).fill(2)]
    const weights = computeClassWeights({ labels, numClasses: 3 })
    expect(weights[0]).toBeCloseTo(0.5833333333333334, 12)
    expect(weights[1]).toBeCloseTo(1.1666666666666667, 12)
    expect(weights[2]).toBeCloseTo(2.3333333333333335, 12)

    // sklearn 1.2.1: classes=[0, 1, 2, 3], y=[0]*7 + [1]*3 + [2]*1 + [3]*2
    const four = [...Array(7).fill(0), 1, 1, 1, 2, 3, 3]
    const expected = [0.4642857142857143, 1.0833333333333333, 3.25, 1.625]
    computeClassWeights({ labels: four, numClasses: 4 }).forEach((w, i) => {
      expect(w).toBeCloseTo(expected[i] as number, 12)
    })
  })

  test('restricted to indices, and weighted counts sum to n (fast-check)', () => {
    const labels = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    expect(computeClassWeights({ labels, numClasses: 3, indices: [0, 3, 5, 6] })).toEqual([
      4 / 3,
      4 / 3,
      4 / 6,
    ])
    fc.assert(
      fc.property(labelsArb, (raw) => {
        const labels = [...raw, 0, 1, 2, 3]
        const weights = computeClassWeights({ labels, numClasses: 4 })
        const weighted = labels.reduce((sum, l) => sum + (weights[l] as number), 0)
        expect(weighted).toBeCloseTo(labels.length, 9)
      }),
    )
  })

  test('a class with no image is an error naming it', () => {
    expect(() => computeClassWeights({ labels: [0, 0, 2], numClasses: 3 })).toThrow(/class 1/)
  })
})

describe('epochOrder', () => {
  test("'none' and 'class-weights' shuffle a permutation; same rng same order (fast-check)", () => {
    fc.assert(
      fc.property(
        labelsArb,
        fc.integer(),
        fc.constantFrom('none' as const, 'class-weights' as const),
        (labels, seed, balance) => {
          const indices = Int32Array.from(labels.map((_, i) => i).filter((i) => i % 3 !== 1))
          const order = epochOrder({ indices, labels, balance, rng: seedrandom(String(seed)) })
          expect([...order].sort((a, b) => a - b)).toEqual([...indices])
          expect(epochOrder({ indices, labels, balance, rng: seedrandom(String(seed)) })).toEqual(
            order,
          )
        },
      ),
    )
  })

  test("'sampler' keeps the epoch length, shares it equally between classes, draws only given indices (fast-check)", () => {
    fc.assert(
      fc.property(labelsArb, fc.integer(), (labels, seed) => {
        const indices = Int32Array.from(labels.map((_, i) => i))
        const order = epochOrder({
          indices,
          labels,
          balance: 'sampler',
          rng: seedrandom(String(seed)),
        })
        expect(order.length).toBe(indices.length)
        const present = new Set(labels)
        const { counts } = classDistribution({ order, labels, numClasses: 4 })
        const shares = counts.filter((_, c) => present.has(c))
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1)
        counts.forEach((count, c) => {
          if (!present.has(c)) expect(count).toBe(0)
        })
        expect(
          epochOrder({ indices, labels, balance: 'sampler', rng: seedrandom(String(seed)) }),
        ).toEqual(order)
      }),
    )
  })

  test('the sampler turns a 4:2:1 training set into an even effective distribution', () => {
    const labels = [...Array(240).fill(0), ...Array(120).fill(1), ...Array(60).fill(2)]
    const indices = Int32Array.from(labels.map((_, i) => i))
    const plain = epochOrder({ indices, labels, balance: 'none', rng: seedrandom('e1') })
    expect(classDistribution({ order: plain, labels, numClasses: 3 }).counts).toEqual([
      240, 120, 60,
    ])
    const balanced = epochOrder({ indices, labels, balance: 'sampler', rng: seedrandom('e1') })
    const dist = classDistribution({ order: balanced, labels, numClasses: 3 })
    expect(dist.counts).toEqual([140, 140, 140])
    expect(dist.fractions.map((f) => f.toFixed(4))).toEqual(['0.3333', '0.3333', '0.3333'])
    // With replacement: the 60 minority images are drawn 140 times, so some repeat.
    const minority = [...balanced].filter((i) => labels[i] === 2)
    expect(new Set(minority).size).toBeLessThan(140)
    expect(epochOrder({ indices, labels, balance: 'sampler', rng: seedrandom('e2') })).not.toEqual(
      balanced,
    )
  })
})
