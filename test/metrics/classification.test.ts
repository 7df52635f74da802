import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { computeClassificationMetrics } from '../../src/metrics/index.js'

/** Reference values from scikit-learn 1.2.1 (Debian python3-sklearn), computed with
 * `L = list(range(k))`, `accuracy_score(t, p)`, `f1_score(t, p, labels=L, average=avg,
 * zero_division=0)`, `precision_recall_fscore_support(t, p, labels=L, zero_division=0)` and
 * `confusion_matrix(t, p, labels=L)`. */
const references = [
  {
    name: 'unbalanced 3-class',
    yTrue: [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2],
    yPred: [0, 0, 0, 0, 0, 0, 1, 2, 1, 1, 0, 1, 2, 0, 2],
    numClasses: 3,
    accuracy: 0.7333333333333333,
    f1Macro: 0.7222222222222222,
    f1Micro: 0.7333333333333333,
    f1Weighted: 0.7333333333333333,
    precision: [0.75, 0.75, 0.6666666666666666],
    recall: [0.75, 0.75, 0.6666666666666666],
    f1: [0.75, 0.75, 0.6666666666666666],
    support: [8, 4, 3],
    confusion: [
      [6, 1, 1],
      [1, 3, 0],
      [1, 0, 2],
    ],
  },
  {
    name: 'class 2 never predicted',
    yTrue: [0, 0, 0, 1, 1, 2, 2, 2],
    yPred: [0, 0, 1, 1, 0, 0, 1, 0],
    numClasses: 3,
    accuracy: 0.375,
    f1Macro: 0.3,
    f1Micro: 0.375,
    f1Weighted: 0.2875,
    precision: [0.4, 0.3333333333333333, 0],
    recall: [0.6666666666666666, 0.5, 0],
    f1: [0.5, 0.4, 0],
    support: [3, 2, 3],
    confusion: [
      [2, 1, 0],
      [1, 1, 0],
      [2, 1, 0],
    ],
  },
  {
    name: 'class 2 absent from yTrue but predicted',
    yTrue: [0, 0, 1, 1, 1, 0],
    yPred: [0, 2, 1, 1, 2, 0],
    numClasses: 3,
    accuracy: 0.6666666666666666,
    f1Macro: 0.5333333333333333,
    f1Micro: 0.6666666666666666,
    f1Weighted: 0.8000000000000002,
    precision: [1, 1, 0],
    recall: [0.6666666666666666, 0.6666666666666666, 0],
    f1: [0.8, 0.8, 0],
    support: [3, 3, 0],
    confusion: [
      [2, 0, 1],
      [0, 2, 1],
      [0, 0, 0],
    ],
  },
  {
    name: 'class 3 absent from both arrays',
    yTrue: [0, 1, 2, 2, 1, 0, 0],
    yPred: [0, 1, 2, 1, 1, 0, 2],
    numClasses: 4,
    accuracy: 0.7142857142857143,
    f1Macro: 0.525,
    f1Micro: 0.7142857142857143,
    f1Weighted: 0.7142857142857143,
    precision: [1, 0.6666666666666666, 0.5, 0],
    recall: [0.6666666666666666, 1, 0.5, 0],
    f1: [0.8, 0.8, 0.5, 0],
    support: [3, 2, 2, 0],
    confusion: [
      [2, 0, 1, 0],
      [0, 2, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 0],
    ],
  },
]

describe('computeClassificationMetrics against sklearn', () => {
  test.each(references)('$name', (ref) => {
    const m = computeClassificationMetrics({
      yTrue: Int32Array.from(ref.yTrue),
      yPred: ref.yPred,
      numClasses: ref.numClasses,
    })

    expect(m.accuracy).toBeCloseTo(ref.accuracy, 12)
    expect(m.f1Macro).toBeCloseTo(ref.f1Macro, 12)
    expect(m.f1Micro).toBeCloseTo(ref.f1Micro, 12)
    expect(m.f1Weighted).toBeCloseTo(ref.f1Weighted, 12)
    ref.f1.forEach((f1, k) => {
      expect(m.perClass[k]!.precision).toBeCloseTo(ref.precision[k]!, 12)
      expect(m.perClass[k]!.recall).toBeCloseTo(ref.recall[k]!, 12)
      expect(m.perClass[k]!.f1).toBeCloseTo(f1, 12)
      expect(m.perClass[k]!.support).toBe(ref.support[k])
    })
    expect(m.confusion).toEqual(ref.confusion)
  })

  test('uses the given class names, in class-id order', () => {
    const m = computeClassificationMetrics({
      yTrue: [0, 1, 2],
      yPred: [0, 1, 1],
      numClasses: 3,
      classNames: ['cat', 'dog', 'fox'],
    })

    expect(m.perClass.map((c) => c.name)).toEqual(['cat', 'dog', 'fox'])
    expect(m.perClass[2]).toEqual({ name: 'fox', precision: 0, recall: 0, f1: 0, support: 1 })
  })
})

const labelled = fc.integer({ min: 1, max: 6 }).chain((numClasses) =>
  fc
    .array(fc.tuple(fc.nat(numClasses - 1), fc.nat(numClasses - 1)), {
      minLength: 1,
      maxLength: 60,
    })
    .map((pairs) => ({
      numClasses,
      yTrue: pairs.map((p) => p[0]),
      yPred: pairs.map((p) => p[1]),
    })),
)

describe('computeClassificationMetrics properties', () => {
  test('every score lies in [0, 1] and none is NaN', () => {
    fc.assert(
      fc.property(labelled, (args) => {
        const m = computeClassificationMetrics(args)
        const scores = [m.accuracy, m.f1Macro, m.f1Micro, m.f1Weighted]
        for (const c of m.perClass) scores.push(c.precision, c.recall, c.f1)
        return scores.every((s) => s >= 0 && s <= 1)
      }),
    )
  })

  test('micro F1 equals accuracy and the confusion matrix sums to n', () => {
    fc.assert(
      fc.property(labelled, (args) => {
        const m = computeClassificationMetrics(args)
        const total = m.confusion.flat().reduce((a, b) => a + b, 0)
        const supports = m.perClass.reduce((a, c) => a + c.support, 0)
        expect(m.f1Micro).toBeCloseTo(m.accuracy, 12)
        expect(total).toBe(args.yTrue.length)
        expect(supports).toBe(args.yTrue.length)
      }),
    )
  })

  test('renaming class ids permutes per-class scores and keeps the averages', () => {
    const withPermutation = labelled.chain((args) =>
      fc
        .shuffledSubarray([...Array(args.numClasses).keys()], {
          minLength: args.numClasses,
          maxLength: args.numClasses,
        })
        .map((perm) => ({ args, perm })),
    )
    fc.assert(
      fc.property(withPermutation, ({ args, perm }) => {
        const m = computeClassificationMetrics(args)
        const renamed = computeClassificationMetrics({
          numClasses: args.numClasses,
          yTrue: args.yTrue.map((y) => perm[y]!),
          yPred: args.yPred.map((y) => perm[y]!),
        })
        expect(renamed.f1Macro).toBeCloseTo(m.f1Macro, 12)
        expect(renamed.f1Weighted).toBeCloseTo(m.f1Weighted, 12)
        expect(renamed.accuracy).toBe(m.accuracy)
        m.perClass.forEach((c, k) => {
          expect(renamed.perClass[perm[k]!]!.f1).toBeCloseTo(c.f1, 12)
        })
      }),
    )
  })

  test('perfect predictions score 1 on every class that occurs', () => {
    fc.assert(
      fc.property(labelled, ({ numClasses, yTrue }) => {
        const m = computeClassificationMetrics({ numClasses, yTrue, yPred: yTrue })
        expect(m.accuracy).toBe(1)
        for (const c of m.perClass) expect(c.f1).toBe(c.support > 0 ? 1 : 0)
      }),
    )
  })
})

describe('computeClassificationMetrics errors', () => {
  const cases = [
    { args: { yTrue: [0, 1], yPred: [0], numClasses: 2 }, bad: '2 and 1' },
    { args: { yTrue: [0, 3], yPred: [0, 1], numClasses: 3 }, bad: 'got 3' },
    { args: { yTrue: [0, 1], yPred: [0, 0.5], numClasses: 2 }, bad: 'got 0.5' },
    { args: { yTrue: [], yPred: [], numClasses: 2 }, bad: 'empty' },
    { args: { yTrue: [0], yPred: [0], numClasses: 0 }, bad: 'got 0' },
    { args: { yTrue: [0], yPred: [0], numClasses: 2, classNames: ['a'] }, bad: 'got 1' },
  ]

  test.each(cases)('rejects bad input naming $bad', ({ args, bad }) => {
    expect(() => computeClassificationMetrics(args)).toThrow(AblateError)
    expect(() => computeClassificationMetrics(args)).toThrow(bad)
  })
})
