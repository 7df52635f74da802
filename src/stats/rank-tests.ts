import jStat from 'jstat'
import { shiftInterval, walshInterval } from './exact-intervals.js'
import {
  rankSumDistribution,
  signedRankDistribution,
  twoSidedFromDistribution,
} from './null-distributions.js'
import { pairedDifferences, pairedT, type TwoSamples, welchT } from './t-tests.js'
import type { Comparison } from './types.js'

/** Largest number of nonzero pairs for which the Wilcoxon null distribution is enumerated. */
export const WILCOXON_EXACT_MAX = 200

/** Largest pooled size for which the Mann-Whitney null distribution is enumerated. */
export const MANN_WHITNEY_EXACT_MAX = 60

/**
 * Wilcoxon signed-rank test on the per-seed differences, zero differences dropped (scipy's
 * `zero_method='wilcox'`). Exact up to 200 nonzero pairs, ties included: the null distribution is
 * built over the actual midranks, so it is exact where scipy falls back to a normal approximation.
 * `diff` is the Hodges-Lehmann estimate (median of Walsh averages of all differences) with the
 * interval that inverts the signed-rank test (no-ties null); the effect size is the paired t d_z.
 */
export function wilcoxon(samples: TwoSamples): Comparison {
  const d = pairedDifferences(samples)
  const { estimate, ci95 } = walshInterval(d)
  const p = wilcoxonP(d.filter((x) => x !== 0))
  return { ...pairedT(samples), test: 'wilcoxon', diff: estimate, ci95, p }
}

/**
 * Mann-Whitney U (Wilcoxon rank-sum) test. Exact up to 60 pooled values, ties included (null
 * distribution over the actual midranks); above that the normal approximation with tie and
 * continuity corrections (scipy's asymptotic method). `diff` is the Hodges-Lehmann shift (median
 * of all variant - baseline differences) with the interval that inverts the test (no-ties null);
 * the effect size is Welch's Hedges' g.
 */
export function mannWhitney(samples: TwoSamples): Comparison {
  const welch = welchT(samples)
  const { estimate, ci95 } = shiftInterval(samples)
  return { ...welch, test: 'mann-whitney', diff: estimate, ci95, p: mannWhitneyP(samples) }
}

function wilcoxonP(d: readonly number[]): number {
  if (d.length === 0) return 1
  const doubled = midranks(d.map(Math.abs)).map((r) => Math.round(2 * r))
  const observed = doubled.reduce((sum, r, i) => (d[i]! > 0 ? sum + r : sum), 0)
  if (d.length > WILCOXON_EXACT_MAX) return normalTwoSidedP(signedRankMoments(doubled), observed, 0)

  const dist = signedRankDistribution(doubled)
  return twoSidedFromDistribution(dist, observed)
}

function mannWhitneyP(samples: TwoSamples): number {
  const pooled = [...samples.baseline, ...samples.variant]
  const k = samples.variant.length
  const doubled = midranks(pooled).map((r) => Math.round(2 * r))
  const observed = doubled.slice(samples.baseline.length).reduce((a, b) => a + b, 0)
  if (pooled.length > MANN_WHITNEY_EXACT_MAX) {
    return normalTwoSidedP(rankSumMoments(doubled, k), observed, 1)
  }
  return twoSidedFromDistribution(rankSumDistribution(doubled, k), observed)
}

function signedRankMoments(doubled: readonly number[]): { mean: number; variance: number } {
  const sum = doubled.reduce((a, b) => a + b, 0)
  const sumSq = doubled.reduce((a, b) => a + b * b, 0)
  return { mean: sum / 2, variance: sumSq / 4 }
}

/** Moments of a k-subset sum drawn without replacement from `doubled` (ties included). */
function rankSumMoments(doubled: readonly number[], k: number): { mean: number; variance: number } {
  const n = doubled.length
  const mu = doubled.reduce((a, b) => a + b, 0) / n
  const popVar = doubled.reduce((a, b) => a + (b - mu) ** 2, 0) / n
  return { mean: k * mu, variance: (k * (n - k) * popVar) / (n - 1) }
}

/** Normal approximation; `continuity` is in the units of `observed` (1 = half a rank, doubled). */
function normalTwoSidedP(
  moments: { mean: number; variance: number },
  observed: number,
  continuity: number,
): number {
  if (moments.variance === 0) return 1
  const gap = Math.max(0, Math.abs(observed - moments.mean) - continuity)
  return Math.min(1, 2 * jStat.normal.cdf(-gap / Math.sqrt(moments.variance), 0, 1))
}

/** 1-based ranks, ties given the mean of the ranks they span. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v)
  const ranks = new Array<number>(values.length)
  for (let start = 0; start < order.length; ) {
    let end = start
    while (end + 1 < order.length && order[end + 1]!.v === order[start]!.v) end++
    const rank = (start + end) / 2 + 1
    for (let j = start; j <= end; j++) ranks[order[j]!.i] = rank
    start = end + 1
  }
  return ranks
}
