import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  checkReachable,
  minAttainableP,
  minimumDetectableEffect,
  powerAt,
  seedsNeeded,
} from '../../src/stats/index.js'

describe('minAttainableP', () => {
  test.each([
    // 2 / 2^6: the paired Wilcoxon and sign-flip floor with 6 seeds (scipy.stats.wilcoxon on 6
    // same-signed differences gives 0.03125).
    { test: 'wilcoxon', n: 6, m: undefined, p: 0.03125 },
    { test: 'sign-flip', n: 6, m: undefined, p: 0.03125 },
    { test: 'wilcoxon', n: 10, m: undefined, p: 2 / 1024 },
    // 2 / C(12, 6) = 2 / 924 (scipy.stats.mannwhitneyu on fully separated 6 vs 6: 0.0021645...).
    { test: 'mann-whitney', n: 6, m: 6, p: 0.0021645021645021645 },
    { test: 'permutation', n: 6, m: 6, p: 2 / 924 },
    { test: 'permutation', n: 5, m: 7, p: 1 / 792 },
    { test: 'paired-t', n: 3, m: undefined, p: 0 },
    { test: 'welch', n: 2, m: 3, p: 0 },
  ] as const)('$test with n = $n, m = $m is $p', ({ test: kind, n, m, p }) => {
    expect(minAttainableP({ test: kind, n, m })).toBeCloseTo(p, 15)
  })

  test('the floor is what the tests really produce on fully separated data', async () => {
    const { compare } = await import('../../src/stats/index.js')
    const baseline = [1, 2, 3, 4, 5, 6]
    const variant = [11, 12, 13, 14, 15, 16]
    for (const kind of ['wilcoxon', 'sign-flip', 'mann-whitney', 'permutation'] as const) {
      const p = compare({ baseline, variant, test: kind }).p
      expect(p).toBeCloseTo(minAttainableP({ test: kind, n: 6 }), 15)
    }
  })

  test('rejects n < 2 and unknown tests, naming the value', () => {
    expect(() => minAttainableP({ test: 'wilcoxon', n: 1 })).toThrow('n = 1')
    expect(() => minAttainableP({ test: 'welch', n: 4, m: 1 })).toThrow('m = 1')
    // @ts-expect-error unknown test on purpose
    expect(() => minAttainableP({ test: 'anova', n: 4 })).toThrow("'anova'")
  })
})

describe('checkReachable', () => {
  test('paired Wilcoxon with 6 seeds cannot pass Holm over 4 variants, and says what would', () => {
    const check = checkReachable({ test: 'wilcoxon', n: 6, alpha: 0.05, comparisons: 4 })

    expect(check.reachable).toBe(false)
    expect(check.minP).toBe(0.03125)
    expect(check.message).toContain('0.03125')
    expect(check.message).toContain('p < 0.0125')
    // 2 / 2^8 = 0.0078 < 0.0125; 2 / 2^7 = 0.0156 is not.
    expect(check.message).toContain('at least 8 seeds')
  })

  test('paired Wilcoxon with 6 seeds and one variant, Mann-Whitney 6 vs 6 and t-tests can', () => {
    expect(checkReachable({ test: 'wilcoxon', n: 6, alpha: 0.05, comparisons: 1 }).reachable).toBe(
      true,
    )
    expect(
      checkReachable({ test: 'mann-whitney', n: 6, alpha: 0.05, comparisons: 4 }).reachable,
    ).toBe(true)
    const t = checkReachable({ test: 'paired-t', n: 2, alpha: 0.05, comparisons: 20 })
    expect(t).toMatchObject({ reachable: true, minP: 0 })
  })

  test('rejects bad alpha and comparisons', () => {
    expect(() => checkReachable({ test: 'wilcoxon', n: 6, alpha: 5, comparisons: 1 })).toThrow('5')
    expect(() => checkReachable({ test: 'wilcoxon', n: 6, alpha: 0.05, comparisons: 0 })).toThrow(
      'got 0',
    )
  })
})

/**
 * scipy 1.10.1 references: power(x, n, a, paired) = nct.sf(c, df, ncp) + nct.cdf(-c, df, ncp),
 * c = t.ppf(1 - a/2, df), df = n-1 (paired) or 2n-2, ncp = x sqrt(n) or x sqrt(n/2);
 * MDE = sd * optimize.brentq(lambda x: power(x, n, a, paired) - 0.8, 1e-6, 100, xtol=1e-14);
 * seeds = smallest n >= 2 with power(effect/sd, n, a, paired) >= 0.8.
 */
describe('power against scipy', () => {
  test.each([
    { sd: 0.02, n: 6, comparisons: 1, paired: true, mde: 0.028690895649661464 },
    { sd: 0.02, n: 6, comparisons: 4, paired: true, mde: 0.04010663901404952 },
    { sd: 0.015, n: 6, comparisons: 1, paired: false, mde: 0.0269331138090597 },
    { sd: 0.03, n: 10, comparisons: 3, paired: false, mde: 0.0472332500690636 },
  ])('MDE sd $sd n $n over $comparisons, paired $paired', (ref) => {
    const mde = minimumDetectableEffect({ ...ref, alpha: 0.05 })
    expect(Math.abs(mde - ref.mde)).toBeLessThan(1e-7 * ref.mde)
  })

  test.each([
    { effect: 0.01, sd: 0.02, comparisons: 1, paired: true, seeds: 34 },
    { effect: 0.01, sd: 0.02, comparisons: 4, paired: true, seeds: 48 },
    { effect: 0.02, sd: 0.015, comparisons: 1, paired: false, seeds: 10 },
    { effect: -0.005, sd: 0.01, comparisons: 4, paired: false, seeds: 91 },
  ])('seeds for effect $effect sd $sd over $comparisons, paired $paired', (ref) => {
    expect(seedsNeeded({ ...ref, alpha: 0.05 })).toBe(ref.seeds)
  })

  test('zero spread needs no effect and two seeds', () => {
    expect(minimumDetectableEffect({ sd: 0, n: 6, alpha: 0.05, paired: true })).toBe(0)
    expect(seedsNeeded({ effect: 0.01, sd: 0, alpha: 0.05, paired: true })).toBe(2)
  })

  test('power at the MDE is the requested power, and seedsNeeded is the smallest such n', () => {
    const plans = fc.record({
      sd: fc.double({ min: 0.001, max: 0.1, noNaN: true }),
      n: fc.integer({ min: 3, max: 30 }),
      paired: fc.boolean(),
      power: fc.constantFrom(0.5, 0.8, 0.9),
    })
    fc.assert(
      fc.property(plans, ({ sd, n, paired, power }) => {
        const mde = minimumDetectableEffect({ sd, n, alpha: 0.05, paired, power })
        const reached = powerAt({ n, standardized: mde / sd, alpha: 0.05, paired })
        expect(reached).toBeCloseTo(power, 6)
        const seeds = seedsNeeded({ effect: mde * 1.0001, sd, alpha: 0.05, paired, power })
        expect(seeds).toBeLessThanOrEqual(n)
        expect(seeds).toBeGreaterThanOrEqual(Math.max(2, n - 1))
      }),
      { numRuns: 40 },
    )
  })

  test('rejects impossible plans, naming the value', () => {
    expect(() => seedsNeeded({ effect: 0, sd: 0.02, alpha: 0.05, paired: true })).toThrow('got 0')
    expect(() => seedsNeeded({ effect: 1e-9, sd: 0.02, alpha: 0.05, paired: true })).toThrow('1e-9')
    expect(() => minimumDetectableEffect({ sd: 0.02, n: 1, alpha: 0.05, paired: true })).toThrow(
      'got 1',
    )
    expect(() => minimumDetectableEffect({ sd: -1, n: 6, alpha: 0.05, paired: true })).toThrow('-1')
  })
})
