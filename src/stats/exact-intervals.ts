import jStat from 'jstat'
import {
  rankSumDistribution,
  signedRankDistribution,
  subsetSumsByMask,
} from './null-distributions.js'

/**
 * 95% intervals that invert the exact tests, so that a test's p-value and its interval agree
 * (p < 0.05 exactly when 0 lies outside, up to ties). Each interval runs from the k-th smallest to
 * the k-th largest of a set of candidate shifts, k read off the test's null distribution; when even
 * the most extreme outcome is not rare enough (e.g. under 6 pairs), it is (-Infinity, Infinity).
 */

/** Probability outside each end of a two-sided 95% interval. */
const TAIL = 0.025

/**
 * Interval of the mean difference from the paired sign-flip test: the one-sided p at shift δ is
 * (1 + #{subsets A : mean of d over A <= δ}) / 2^n, so the ends are order statistics of the
 * 2^n - 1 subset means (Hartigan's subsample-mean interval).
 */
export function signFlipInterval(d: readonly number[]): [number, number] {
  const n = d.length
  const sums = subsetSumsByMask(d)
  const sizes = subsetSumsByMask(d.map(() => 1))
  const means = new Float64Array(2 ** n - 1)
  for (let mask = 1; mask < 2 ** n; mask++) means[mask - 1] = sums[mask]! / sizes[mask]!
  return orderInterval(means, rankFromCount(2 ** n))
}

/**
 * Interval of the difference of means from the two-sample permutation test: swapping j variant
 * values A for j baseline values B beats the observed statistic at shift δ exactly when
 * δ >= mean(A) - mean(B), so the ends are order statistics of those C(n+m, m) - 1 swap values.
 */
export function permutationInterval(args: {
  baseline: readonly number[]
  variant: readonly number[]
}): [number, number] {
  const { baseline, variant } = args
  const values: number[] = []
  for (let j = 1; j <= Math.min(baseline.length, variant.length); j++) {
    const sumsA = subsetSums(variant, j)
    const sumsB = subsetSums(baseline, j)
    for (const a of sumsA) for (const b of sumsB) values.push((a - b) / j)
  }
  return orderInterval(Float64Array.from(values), rankFromCount(values.length + 1))
}

/**
 * Hodges-Lehmann estimate (median of the Walsh averages (d_i + d_j) / 2, i <= j) and the interval
 * that inverts the Wilcoxon signed-rank test, with k from the exact no-ties null distribution of
 * T+ up to 200 pairs and its normal approximation above.
 */
export function walshInterval(d: readonly number[]): { estimate: number; ci95: [number, number] } {
  const walsh = new Float64Array((d.length * (d.length + 1)) / 2)
  let next = 0
  for (let i = 0; i < d.length; i++) {
    for (let j = i; j < d.length; j++) walsh[next++] = (d[i]! + d[j]!) / 2
  }
  walsh.sort()
  const k = d.length <= 200 ? signedRankK(d.length) : normalK(signedRankMoments(d.length))
  return { estimate: median(walsh), ci95: orderInterval(walsh, k) }
}

/**
 * Hodges-Lehmann shift (median of all variant - baseline differences) and the interval that inverts
 * the Mann-Whitney test, k from the exact no-ties null distribution of U up to 60 pooled values.
 */
export function shiftInterval(args: { baseline: readonly number[]; variant: readonly number[] }): {
  estimate: number
  ci95: [number, number]
} {
  const { baseline, variant } = args
  const diffs = new Float64Array(baseline.length * variant.length)
  let next = 0
  for (const v of variant) for (const b of baseline) diffs[next++] = v - b
  diffs.sort()
  const [n, m] = [baseline.length, variant.length]
  const k =
    n + m <= 60
      ? rankSumK(n, m)
      : normalK({ mean: (n * m) / 2, variance: (n * m * (n + m + 1)) / 12 })
  return { estimate: median(diffs), ci95: orderInterval(diffs, k) }
}

/** Smallest count k of extreme candidates with (1 + k) / outcomes > TAIL; 0 means unbounded. */
function rankFromCount(outcomes: number): number {
  return Math.max(0, Math.floor(TAIL * outcomes - 1 + 1e-9) + 1)
}

/** k = 1 + the largest c with P(T+ <= c) <= TAIL under the no-ties null (0 when none). */
function signedRankK(n: number): number {
  const ranks = Array.from({ length: n }, (_, i) => i + 1)
  return kFromDistribution(signedRankDistribution(ranks))
}

/** As `signedRankK` for U = #{variant > baseline}, n baseline and m variant values, no ties. */
function rankSumK(n: number, m: number): number {
  const ranks = Array.from({ length: n + m }, (_, i) => i + 1)
  // Rank sum of the variant values = U + m (m + 1) / 2.
  return kFromDistribution(rankSumDistribution(ranks, m).slice((m * (m + 1)) / 2))
}

function kFromDistribution(weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0)
  let cumulative = 0
  let k = 0
  for (const w of weights) {
    cumulative += w
    if (cumulative / total > TAIL + 1e-12) break
    k++
  }
  return k
}

function normalK(moments: { mean: number; variance: number }): number {
  const z = jStat.normal.inv(1 - TAIL, 0, 1)
  return Math.max(0, Math.floor(moments.mean - z * Math.sqrt(moments.variance)))
}

function signedRankMoments(n: number): { mean: number; variance: number } {
  return { mean: (n * (n + 1)) / 4, variance: (n * (n + 1) * (2 * n + 1)) / 24 }
}

/** [k-th smallest, k-th largest] (1-based); unbounded when k is 0. */
function orderInterval(values: Float64Array, k: number): [number, number] {
  if (k < 1) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]
  const sorted = values.slice().sort()
  return [sorted[k - 1]!, sorted[sorted.length - k]!]
}

function median(sorted: Float64Array): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Sums of every j-element subset of `values`. */
function subsetSums(values: readonly number[], j: number): number[] {
  const sums: number[] = []
  const visit = (start: number, left: number, sum: number): void => {
    if (left === 0) {
      sums.push(sum)
      return
    }
    for (let i = start; i <= values.length - left; i++) visit(i + 1, left - 1, sum + values[i]!)
  }
  visit(0, j, 0)
  return sums
}
