import seedrandom from 'seedrandom'
import { permutationInterval, signFlipInterval } from './exact-intervals.js'
import { subsetSumsByMask } from './null-distributions.js'
import { pairedDifferences, pairedT, type TwoSamples, welchT } from './t-tests.js'
import type { Comparison } from './types.js'

/** Above this many sign patterns or splits the exact tests switch to seeded Monte Carlo. */
export const EXACT_ENUMERATION_LIMIT = 1_048_576

/** Random resamples drawn when enumeration would exceed `EXACT_ENUMERATION_LIMIT`. */
export const MONTE_CARLO_RESAMPLES = 100_000

/**
 * Exact paired sign-flip (randomization) test of the mean difference: under no effect every
 * per-seed difference is as likely positive as negative. p = share of the 2^n sign patterns whose
 * |sum| reaches the observed one; exact up to 20 pairs, seeded Monte Carlo above. The interval
 * inverts the same test (subset means); above 20 pairs it is the paired t interval. The effect
 * size is the paired t one.
 */
export function signFlip(samples: TwoSamples): Comparison {
  const d = pairedDifferences(samples)
  const t = pairedT(samples)
  // Shortcoming: above 20 pairs the interval is the paired t one, not an inversion of the Monte
  // Carlo test; the mark can go when a sampled inversion interval lands (no study uses 21+ seeds).
  const ci95 = 2 ** d.length <= EXACT_ENUMERATION_LIMIT ? signFlipInterval(d) : t.ci95
  return { ...t, test: 'sign-flip', ci95, p: signFlipP(d) }
}

/**
 * Exact two-sample permutation test of the difference of means over the C(n+m, m) relabellings,
 * two-sided as twice the smaller tail (scipy's `permutation_test` default), seeded Monte Carlo
 * above the enumeration limit. The interval inverts the same test (swap means) up to the limit,
 * Welch's above it; the effect size is Welch's Hedges' g.
 */
export function permutation(samples: TwoSamples): Comparison {
  const welch = welchT(samples)
  const splits = binomial(samples.baseline.length + samples.variant.length, samples.variant.length)
  // Shortcoming: above the enumeration limit the interval is Welch's, not an inversion of the
  // Monte Carlo test; the mark can go when a sampled inversion interval lands.
  const ci95 = splits <= EXACT_ENUMERATION_LIMIT ? permutationInterval(samples) : welch.ci95
  return { ...welch, test: 'permutation', ci95, p: permutationP(samples) }
}

function signFlipP(d: readonly number[]): number {
  const abs = d.map(Math.abs)
  const observed = Math.abs(d.reduce((a, b) => a + b, 0))
  const tol = 1e-12 * abs.reduce((a, b) => a + b, 0)
  const n = abs.length
  if (2 ** n > EXACT_ENUMERATION_LIMIT) return signFlipMonteCarlo({ abs, observed, tol })

  // Pattern `mask` keeps the signs of the set bits: its sum is 2 S(mask) - S(all).
  const sums = subsetSumsByMask(abs)
  const total = sums[sums.length - 1]!
  let hits = 0
  for (const sum of sums) if (Math.abs(2 * sum - total) >= observed - tol) hits++
  return hits / 2 ** n
}

function signFlipMonteCarlo(args: { abs: number[]; observed: number; tol: number }): number {
  const { abs, observed, tol } = args
  const rng = seedrandom('ablate:sign-flip')
  let hits = 0
  for (let b = 0; b < MONTE_CARLO_RESAMPLES; b++) {
    let sum = 0
    for (const a of abs) sum += rng() < 0.5 ? a : -a
    if (Math.abs(sum) >= observed - tol) hits++
  }
  // Counting the observed labelling keeps a Monte Carlo p-value valid (never 0).
  return (hits + 1) / (MONTE_CARLO_RESAMPLES + 1)
}

function permutationP(samples: TwoSamples): number {
  const pooled = [...samples.baseline, ...samples.variant]
  const k = samples.variant.length
  // The difference of means grows with the variant arm's sum: compare sums, with a rounding margin.
  const observed = samples.variant.reduce((a, b) => a + b, 0)
  const tol = 1e-12 * pooled.reduce((a, b) => a + Math.abs(b), 0)
  const tails = { above: 0, below: 0, total: 0 }
  const visit = (sum: number) => {
    tails.total++
    if (sum >= observed - tol) tails.above++
    if (sum <= observed + tol) tails.below++
  }

  if (binomial(pooled.length, k) > EXACT_ENUMERATION_LIMIT) {
    sampleSubsetSums({ pooled, k }, visit)
    // Counting the observed labelling keeps a Monte Carlo p-value valid (never 0).
    ;[tails.above, tails.below, tails.total] = [tails.above + 1, tails.below + 1, tails.total + 1]
  } else {
    enumerateSubsetSums({ values: pooled, k, start: 0, sum: 0 }, visit)
  }
  return Math.min(1, (2 * Math.min(tails.above, tails.below)) / tails.total)
}

/** Calls `visit` with the sum of every k-element subset of `values[start..]`, plus `sum`. */
function enumerateSubsetSums(
  state: { values: readonly number[]; k: number; start: number; sum: number },
  visit: (sum: number) => void,
): void {
  const { values, k, start, sum } = state
  if (k === 0) {
    visit(sum)
    return
  }
  for (let i = start; i <= values.length - k; i++) {
    enumerateSubsetSums({ values, k: k - 1, start: i + 1, sum: sum + values[i]! }, visit)
  }
}

/** Calls `visit` with the sums of `MONTE_CARLO_RESAMPLES` seeded random k-subsets. */
function sampleSubsetSums(
  args: { pooled: number[]; k: number },
  visit: (sum: number) => void,
): void {
  const { pooled, k } = args
  const rng = seedrandom('ablate:permutation')
  const work = [...pooled]
  for (let b = 0; b < MONTE_CARLO_RESAMPLES; b++) {
    // Partial Fisher-Yates: the first k slots become a uniform random k-subset.
    let sum = 0
    for (let i = 0; i < k; i++) {
      const j = i + Math.floor(rng() * (work.length - i))
      ;[work[i], work[j]] = [work[j]!, work[i]!]
      sum += work[i]!
    }
    visit(sum)
  }
}

/** C(n, k) as a float (exact for the sizes that matter here). */
export function binomial(n: number, k: number): number {
  let result = 1
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i
  return result
}
