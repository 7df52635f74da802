import { describe, expect, test } from 'vitest'
import { compare, summarize, type TestKind } from '../../src/stats/index.js'

/**
 * Reference values from scipy 1.10.1 (Debian python3-scipy), printed with repr(). jstat's t
 * distribution agrees with scipy's to ~1e-10, so values are compared to 1e-8 relative.
 * Definitions in scipy terms:
 * - summary: x.mean(), x.std(ddof=1), stats.sem(x), stats.t.interval(0.95, n-1, loc=mean, scale=sem)
 * - paired-t: stats.ttest_rel(v, b) with .confidence_interval(0.95); d_z = mean(d)/sd(d) * J(n-1)
 * - welch: stats.ttest_ind(v, b, equal_var=False); CI diff ± t.ppf(0.975, welch df) * se;
 *   Hedges' g = diff / pooled sd * J(nb + nv - 2), J(df) = Γ(df/2) / (sqrt(df/2) Γ((df-1)/2))
 * - sign-flip: stats.permutation_test((v, b), lambda x, y: np.mean(x - y),
 *   permutation_type='samples', n_resamples=np.inf, alternative='two-sided')
 * - permutation: stats.permutation_test((v, b), lambda x, y: np.mean(x) - np.mean(y),
 *   permutation_type='independent', n_resamples=np.inf) (default two-sided: twice the smaller tail)
 * - wilcoxon and mann-whitney diff: Hodges-Lehmann, np.median of the Walsh averages of d
 *   (i <= j) and np.median(np.subtract.outer(v, b))
 * - wilcoxon: stats.wilcoxon(v, b) (exact, no ties or zeros); with ties or zeros:
 *   stats.permutation_test((d[d != 0],), lambda x: np.sum(stats.rankdata(np.abs(x))[x > 0]),
 *   permutation_type='samples', n_resamples=np.inf, alternative='two-sided')
 * - mann-whitney: stats.mannwhitneyu(v, b, method='exact') without ties; with ties:
 *   stats.permutation_test((v, b), lambda x, y: np.sum(stats.rankdata(np.concatenate([x, y]))[:len(x)]),
 *   permutation_type='independent', n_resamples=np.inf, alternative='two-sided')
 */
function expectClose(actual: number, expected: number, relative = 1e-8): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(1, Math.abs(expected)),
  )
}

const A = {
  baseline: [0.71, 0.74, 0.69, 0.77, 0.72, 0.75],
  variant: [0.74, 0.76, 0.7, 0.8, 0.73, 0.79],
}
const B = {
  baseline: [0.62, 0.65, 0.61, 0.68, 0.66],
  variant: [0.7, 0.64, 0.69, 0.72, 0.67, 0.71, 0.66],
}
/** Integers so that ties and a zero difference are exact. */
const C = {
  baseline: [80, 81, 79, 82, 80, 83, 78, 81, 77],
  variant: [82, 81, 81, 80, 84, 85, 80, 83, 80],
}
const D = { baseline: [3, 5, 5, 7, 8, 8, 9], variant: [5, 8, 9, 9, 10, 11, 12, 12] }

describe('summarize against scipy', () => {
  test.each([
    {
      values: A.baseline,
      mean: 0.73,
      sd: 0.028982753492378905,
      sem: 0.011832159566199244,
      ci: [0.6995844655312009, 0.7604155344687991],
    },
    {
      values: B.baseline,
      mean: 0.644,
      sd: 0.028809720581775892,
      sem: 0.012884098726725137,
      ci: [0.6082280071552988, 0.6797719928447012],
    },
    {
      values: C.baseline,
      mean: 80.11111111111111,
      sd: 1.90029237516523,
      sem: 0.6334307917217433,
      ci: [78.6504170861433, 81.57180513607892],
    },
  ])('n = $values.length, mean $mean', (ref) => {
    const s = summarize(ref.values)

    expect(s.n).toBe(ref.values.length)
    expect(s.df).toBe(ref.values.length - 1)
    expectClose(s.mean, ref.mean)
    expectClose(s.sd, ref.sd)
    expectClose(s.sem, ref.sem)
    expectClose(s.ci95[0], ref.ci[0]!)
    expectClose(s.ci95[1], ref.ci[1]!)
  })
})

interface Reference {
  name: string
  data: { baseline: number[]; variant: number[] }
  test: TestKind
  diff: number
  p: number
  ci?: [number, number]
  effect?: number
}

const references: Reference[] = [
  {
    name: 'A',
    data: A,
    test: 'paired-t',
    diff: 0.023333333333333355,
    p: 0.005245434638075838,
    ci: [0.010624036581561464, 0.03604263008510525],
    effect: 1.6198592111902315,
  },
  {
    name: 'C (ties, a zero)',
    data: C,
    test: 'paired-t',
    diff: 1.6666666666666667,
    p: 0.020300093619883813,
    ci: [0.33529455855276025, 2.9980387747805732],
    effect: 0.8686266878274131,
  },
  {
    name: 'A',
    data: A,
    test: 'welch',
    diff: 0.023333333333333317,
    p: 0.25941201299040656,
    ci: [-0.02037038630938874, 0.06703705297605538],
    effect: 0.639558007624396,
  },
  {
    name: 'B (5 vs 7)',
    data: B,
    test: 'welch',
    diff: 0.04028571428571426,
    p: 0.04132409531899796,
    ci: [0.001983171241374565, 0.07858825733005395],
    effect: 1.2909766083665022,
  },
  {
    name: 'C',
    data: C,
    test: 'welch',
    diff: 1.6666666666666572,
    p: 0.07811255158703143,
    ci: [-0.21040350940577368, 3.5437368427390883],
    effect: 0.8449886389300936,
  },
  {
    name: 'D (7 vs 8, ties)',
    data: D,
    test: 'welch',
    diff: 3.071428571428571,
    p: 0.019882627023375773,
    ci: [0.5710684576584302, 5.571788685198712],
    effect: 1.2854752871372064,
  },
  { name: 'A', data: A, test: 'sign-flip', diff: 0.023333333333333355, p: 0.03125 },
  { name: 'C (a zero)', data: C, test: 'sign-flip', diff: 1.6666666666666667, p: 0.0546875 },
  { name: 'A', data: A, test: 'permutation', diff: 0.023333333333333317, p: 0.2878787878787879 },
  {
    name: 'B (5 vs 7)',
    data: B,
    test: 'permutation',
    diff: 0.04028571428571426,
    p: 0.05303030303030303,
  },
  { name: 'C', data: C, test: 'permutation', diff: 1.6666666666666572, p: 0.10230357877416701 },
  { name: 'D', data: D, test: 'permutation', diff: 3.071428571428571, p: 0.03045843045843046 },
  { name: 'A', data: A, test: 'wilcoxon', diff: 0.025000000000000022, p: 0.03125 },
  { name: 'C (ties, a zero)', data: C, test: 'wilcoxon', diff: 2, p: 0.0546875 },
  {
    name: 'A (tie across arms)',
    data: A,
    test: 'mann-whitney',
    diff: 0.020000000000000018,
    p: 0.329004329004329,
  },
  {
    name: 'B (tie across arms)',
    data: B,
    test: 'mann-whitney',
    diff: 0.039999999999999925,
    p: 0.05555555555555555,
  },
  {
    name: 'C (ties)',
    data: C,
    test: 'mann-whitney',
    diff: 2,
    p: 0.13146853146853146,
  },
  {
    name: 'D (ties)',
    data: D,
    test: 'mann-whitney',
    diff: 3,
    p: 0.020202020202020204,
  },
]

describe('compare against scipy', () => {
  test.each(references)('$test on $name', (ref) => {
    const c = compare({ ...ref.data, test: ref.test })

    expect(c.test).toBe(ref.test)
    expectClose(c.diff, ref.diff)
    expectClose(c.p, ref.p)
    if (ref.ci !== undefined) {
      expectClose(c.ci95[0], ref.ci[0])
      expectClose(c.ci95[1], ref.ci[1])
    }
    if (ref.effect !== undefined) expectClose(c.effectSize.value, ref.effect)
  })

  test('exact tests without ties match scipy exact methods', () => {
    // stats.mannwhitneyu(E_v, E_b, method='exact'): no ties, 6 vs 7.
    const E = {
      baseline: [0.61, 0.64, 0.66, 0.63, 0.68, 0.6],
      variant: [0.67, 0.7, 0.65, 0.72, 0.69, 0.71, 0.74],
    }
    expectClose(compare({ ...E, test: 'mann-whitney' }).p, 0.008158508158508158)

    // stats.wilcoxon(F_v, F_b): 9 distinct nonzero differences.
    const F = {
      baseline: [0.7, 0.72, 0.68, 0.75, 0.71, 0.73, 0.69, 0.74, 0.7],
      variant: [0.731, 0.716, 0.702, 0.794, 0.735, 0.768, 0.688, 0.785, 0.753],
    }
    expectClose(compare({ ...F, test: 'wilcoxon' }).p, 0.01953125)
  })

  test('large samples use the normal approximations scipy uses', () => {
    // b = ((i*37) % 101)/100, v = b + (((i*53) % 97) - 40)/1000 for i < 250 (3 zero differences):
    // stats.wilcoxon(v, b, mode='approx', correction=False).pvalue
    const b = Array.from({ length: 250 }, (_, i) => ((i * 37) % 101) / 100)
    const v = b.map((x, i) => x + (((i * 53) % 97) - 40) / 1000)
    expectClose(
      compare({ baseline: b, variant: v, test: 'wilcoxon' }).p,
      8.921143137595726e-5,
      1e-6,
    )

    // bb = ((i*37) % 101)/100 for i < 35, vv = ((i*41) % 103)/100 + 0.05 for i < 30:
    // stats.mannwhitneyu(vv, bb, method='asymptotic').pvalue (tie and continuity corrected)
    const bb = Array.from({ length: 35 }, (_, i) => ((i * 37) % 101) / 100)
    const vv = Array.from({ length: 30 }, (_, i) => ((i * 41) % 103) / 100 + 0.05)
    expectClose(
      compare({ baseline: bb, variant: vv, test: 'mann-whitney' }).p,
      0.1533443702451623,
      1e-6,
    )
  })

  test('Monte Carlo p-values, used beyond 2^20 patterns, land near the exact ones', () => {
    // d = (((i*29) % 31) - 12)/100, i < 21: stats.permutation_test((d,), abs(sum),
    // permutation_type='samples', n_resamples=np.inf, alternative='greater') = 0.036224365234375
    const d = Array.from({ length: 21 }, (_, i) => (((i * 29) % 31) - 12) / 100)
    const zeros = d.map(() => 0)
    const signFlipP = compare({ baseline: zeros, variant: d, test: 'sign-flip' }).p
    // 100,000 resamples: standard error ~0.0006 at this p.
    expect(Math.abs(signFlipP - 0.036224365234375)).toBeLessThan(0.003)

    // x = ((i*37) % 101)/100, y = ((i*41) % 103)/100 + 0.1, i < 12: permutation_test on
    // mean(y) - mean(x), independent, two-sided, exact over C(24, 12) = 0.14247181005829546
    const x = Array.from({ length: 12 }, (_, i) => ((i * 37) % 101) / 100)
    const y = Array.from({ length: 12 }, (_, i) => ((i * 41) % 103) / 100 + 0.1)
    const permutationP = compare({ baseline: x, variant: y, test: 'permutation' }).p
    expect(Math.abs(permutationP - 0.14247181005829546)).toBeLessThan(0.006)
  })
})

/**
 * Intervals that invert the exact tests, checked against scipy by inversion: each end found by
 * bisection (60 steps) on the shift x where scipy's one-sided p of the shifted data crosses 0.025:
 * sign-flip: permutation_test((d - x,), np.mean, permutation_type='samples', alternative=...);
 * wilcoxon: stats.wilcoxon(d - x, alternative=...); permutation: permutation_test((v - x, b),
 * mean difference, permutation_type='independent', alternative=...); mann-whitney:
 * stats.mannwhitneyu(v - x, b, alternative=..., method='exact'), with 'greater' for the lower end
 * and 'less' for the upper end. Bisection leaves ~1e-13 of slack, hence 1e-9 here.
 */
describe('exact-test intervals against scipy by inversion', () => {
  const F = {
    baseline: [0.7, 0.72, 0.68, 0.75, 0.71, 0.73, 0.69, 0.74, 0.7],
    variant: [0.731, 0.716, 0.702, 0.794, 0.735, 0.768, 0.688, 0.785, 0.753],
  }
  const E = {
    baseline: [0.61, 0.64, 0.66, 0.63, 0.68, 0.6],
    variant: [0.67, 0.7, 0.65, 0.72, 0.69, 0.71, 0.74],
  }
  test.each([
    { name: 'A', data: A, test: 'sign-flip', ci: [0.009999999999970002, 0.04000000000003004] },
    { name: 'A', data: A, test: 'wilcoxon', ci: [0.010000000000000009, 0.040000000000000036] },
    { name: 'F', data: F, test: 'sign-flip', ci: [0.01149999999997751, 0.04325000000001129] },
    { name: 'F', data: F, test: 'wilcoxon', ci: [0.01050000000000001, 0.04450000000000004] },
    { name: 'A', data: A, test: 'permutation', ci: [-0.020000000000015283, 0.06666666666667681] },
    { name: 'A', data: A, test: 'mann-whitney', ci: [-0.020000000000000073, 0.07000000000000012] },
    { name: 'B', data: B, test: 'permutation', ci: [-1.4599866454689803e-14, 0.08000000000001456] },
    {
      name: 'B',
      data: B,
      test: 'mann-whitney',
      ci: [-5.5077470362263625e-17, 0.08000000000000002],
    },
    { name: 'E', data: E, test: 'permutation', ci: [0.023333333333322603, 0.10000000000001091] },
    { name: 'E', data: E, test: 'mann-whitney', ci: [0.01999999999999985, 0.10000000000000003] },
  ] as const)('$test on $name', (ref) => {
    const c = compare({ ...ref.data, test: ref.test })
    expectClose(c.ci95[0], ref.ci[0], 1e-9)
    expectClose(c.ci95[1], ref.ci[1], 1e-9)
  })

  test('too few pairs to reach 95% give an unbounded interval', () => {
    const five = { baseline: [1, 2, 3, 4, 5], variant: [2, 4, 5, 7, 6] }
    for (const kind of ['sign-flip', 'wilcoxon'] as const) {
      expect(compare({ ...five, test: kind }).ci95).toEqual([-Infinity, Infinity])
    }
  })
})
