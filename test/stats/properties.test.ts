import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { compare, holm, isPairedTest, TEST_KINDS, type TestKind } from '../../src/stats/index.js'

/** Integer-valued samples: shifts and power-of-two scalings stay exact, so ties stay ties. */
const sample = (minLength: number, maxLength: number) =>
  fc.array(fc.integer({ min: -40, max: 40 }), { minLength, maxLength })

/** Two arms for `test`: equal length when paired, sizes 2..8 each otherwise. */
function arms(test: TestKind) {
  if (isPairedTest(test)) {
    return fc
      .integer({ min: 2, max: 10 })
      .chain((n) => fc.record({ baseline: sample(n, n), variant: sample(n, n) }))
  }
  return fc.record({ baseline: sample(2, 8), variant: sample(2, 8) })
}

/** Equal within a relative tolerance; equal infinities (unbounded intervals) count as close. */
const close = (a: number, b: number, tol = 1e-9) =>
  a === b || Math.abs(a - b) <= tol * Math.max(1, Math.abs(b))

describe.each(TEST_KINDS)('%s properties', (kind) => {
  test('p lies in [0, 1] and the interval contains the difference', () => {
    fc.assert(
      fc.property(arms(kind), (data) => {
        const c = compare({ ...data, test: kind })
        expect(c.p).toBeGreaterThanOrEqual(0)
        expect(c.p).toBeLessThanOrEqual(1)
        expect(c.ci95[0]).toBeLessThanOrEqual(c.diff + 1e-12)
        expect(c.ci95[1]).toBeGreaterThanOrEqual(c.diff - 1e-12)
      }),
    )
  })

  test('swapping the arms keeps p and negates the difference and interval', () => {
    fc.assert(
      fc.property(arms(kind), (data) => {
        const c = compare({ ...data, test: kind })
        const swapped = compare({ baseline: data.variant, variant: data.baseline, test: kind })
        expect(close(swapped.p, c.p)).toBe(true)
        expect(close(swapped.diff, -c.diff)).toBe(true)
        expect(close(swapped.ci95[0], -c.ci95[1])).toBe(true)
        expect(close(swapped.ci95[1], -c.ci95[0])).toBe(true)
      }),
    )
  })

  test('shifting both arms by a constant keeps p and the difference', () => {
    fc.assert(
      fc.property(arms(kind), fc.integer({ min: -1000, max: 1000 }), (data, shift) => {
        const c = compare({ ...data, test: kind })
        const moved = compare({
          baseline: data.baseline.map((x) => x + shift),
          variant: data.variant.map((x) => x + shift),
          test: kind,
        })
        expect(close(moved.p, c.p)).toBe(true)
        expect(close(moved.diff, c.diff)).toBe(true)
      }),
    )
  })

  test('scaling both arms keeps p and scales the difference', () => {
    fc.assert(
      fc.property(arms(kind), fc.constantFrom(0.25, 4, 1024), (data, scale) => {
        const c = compare({ ...data, test: kind })
        const scaled = compare({
          baseline: data.baseline.map((x) => x * scale),
          variant: data.variant.map((x) => x * scale),
          test: kind,
        })
        expect(close(scaled.p, c.p)).toBe(true)
        expect(close(scaled.diff, c.diff * scale)).toBe(true)
      }),
    )
  })
})

describe('paired tests', () => {
  test.each(['paired-t', 'sign-flip', 'wilcoxon'] as const)(
    '%s ignores per-seed offsets shared by both arms',
    (kind) => {
      const withOffsets = arms(kind).chain((data) =>
        fc.record({
          data: fc.constant(data),
          offsets: sample(data.baseline.length, data.baseline.length),
        }),
      )
      fc.assert(
        fc.property(withOffsets, ({ data, offsets }) => {
          const c = compare({ ...data, test: kind })
          const shifted = compare({
            baseline: data.baseline.map((x, i) => x + 100 * offsets[i]!),
            variant: data.variant.map((x, i) => x + 100 * offsets[i]!),
            test: kind,
          })
          expect(close(shifted.p, c.p)).toBe(true)
        }),
      )
    },
  )

  test('paired t: p < 0.05 exactly when the 95% interval excludes 0', () => {
    fc.assert(
      fc.property(arms('paired-t'), (data) => {
        const c = compare({ ...data, test: 'paired-t' })
        const excludesZero = c.ci95[0] > 0 || c.ci95[1] < 0
        // Skip values within rounding of the boundary.
        if (Math.abs(c.p - 0.05) > 1e-9) expect(c.p < 0.05).toBe(excludesZero)
      }),
    )
  })
})

describe('holm properties', () => {
  const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 })

  test('adjusted p is >= the raw p, <= 1, and monotone in the raw p', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const adjusted = holm(ps)
        expect(adjusted).toHaveLength(ps.length)
        ps.forEach((p, i) => {
          expect(adjusted[i]!).toBeGreaterThanOrEqual(p)
          expect(adjusted[i]!).toBeLessThanOrEqual(1)
          ps.forEach((q, j) => {
            if (p <= q) expect(adjusted[i]!).toBeLessThanOrEqual(adjusted[j]!)
          })
        })
      }),
    )
  })

  test('the smallest p is multiplied by m (Bonferroni step) and order does not matter', () => {
    fc.assert(
      fc.property(
        pValues.filter((ps) => ps.length > 0),
        (ps) => {
          const adjusted = holm(ps)
          const smallest = Math.min(...ps)
          expect(Math.min(...adjusted)).toBeCloseTo(Math.min(1, smallest * ps.length), 12)
          const reversed = holm([...ps].reverse())
          expect(reversed).toEqual([...adjusted].reverse())
        },
      ),
    )
  })
})

describe('exact intervals agree with their tests', () => {
  /** Distinct nonzero differences with distinct absolute values: no ties, no zeros. */
  const differences = fc
    .uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 6, maxLength: 10 })
    .chain((abs) =>
      fc
        .array(fc.boolean(), { minLength: abs.length, maxLength: abs.length })
        .map((signs) => abs.map((a, i) => (signs[i] ? a : -a))),
    )
  /** Distinct pooled values split into two arms: no ties. */
  const twoArms = fc
    .uniqueArray(fc.integer({ min: -500, max: 500 }), { minLength: 8, maxLength: 14 })
    .chain((pooled) =>
      fc.integer({ min: 4, max: pooled.length - 4 }).map((cut) => ({
        baseline: pooled.slice(0, cut),
        variant: pooled.slice(cut),
      })),
    )
  const excludesZero = (ci: [number, number]) => ci[0] > 0 || ci[1] < 0

  test.each(['sign-flip', 'wilcoxon'] as const)(
    '%s: p < 0.05 exactly when 0 is outside',
    (kind) => {
      fc.assert(
        fc.property(differences, (d) => {
          const c = compare({ baseline: d.map(() => 0), variant: d, test: kind })
          expect(c.p < 0.05).toBe(excludesZero(c.ci95))
        }),
      )
    },
  )

  test.each(['permutation', 'mann-whitney'] as const)(
    '%s: p < 0.05 exactly when 0 is outside',
    (kind) => {
      fc.assert(
        fc.property(twoArms, (arms) => {
          const c = compare({ ...arms, test: kind })
          // The mean-difference permutation statistic can tie at the boundary; skip exact ties.
          if (kind === 'permutation' && (c.ci95[0] === 0 || c.ci95[1] === 0)) return
          expect(c.p < 0.05).toBe(excludesZero(c.ci95))
        }),
        { numRuns: 60 },
      )
    },
  )
})
