import jStat from 'jstat'
import { pooledSd, standardizedDifference } from './effect-size.js'
import { assertSample, invalidStats, mean, variance } from './sample.js'
import { tQuantile975 } from './summary.js'
import type { Comparison } from './types.js'

/** Two samples compared as variant minus baseline. Paired tests match them by index. */
export interface TwoSamples {
  baseline: readonly number[]
  variant: readonly number[]
}

/** Paired t-test on the per-index differences variant - baseline (scipy's `ttest_rel`). */
export function pairedT(samples: TwoSamples): Comparison {
  const d = pairedDifferences(samples)

  const n = d.length
  const diff = mean(d)
  const sd = Math.sqrt(variance(d))
  const t = tResult({ diff, se: sd / Math.sqrt(n), df: n - 1 })
  const effect = standardizedDifference({ diff, sd, df: n - 1 })
  return { test: 'paired-t', diff, ...t, effectSize: { name: 'dz', value: effect }, n }
}

/** Welch's unequal-variance t-test of variant - baseline (scipy's `ttest_ind(equal_var=False)`). */
export function welchT(samples: TwoSamples): Comparison {
  const { baseline, variant } = samples
  assertSample({ values: baseline, min: 2, what: 'baseline' })
  assertSample({ values: variant, min: 2, what: 'variant' })

  const [nB, nV] = [baseline.length, variant.length]
  const [varB, varV] = [variance(baseline), variance(variant)]
  const diff = mean(variant) - mean(baseline)
  const [seB2, seV2] = [varB / nB, varV / nV]
  // Welch-Satterthwaite degrees of freedom; nB + nV - 2 in the degenerate zero-spread case.
  const se2 = seB2 + seV2
  const df = se2 === 0 ? nB + nV - 2 : se2 ** 2 / (seB2 ** 2 / (nB - 1) + seV2 ** 2 / (nV - 1))
  const t = tResult({ diff, se: Math.sqrt(se2), df })
  const sd = pooledSd({ varA: varB, nA: nB, varB: varV, nB: nV })
  const effect = standardizedDifference({ diff, sd, df: nB + nV - 2 })
  return {
    test: 'welch',
    diff,
    ...t,
    effectSize: { name: 'hedges-g', value: effect },
    n: [nB, nV],
  }
}

/** variant[i] - baseline[i], after checking that both are equal-length finite samples. */
export function pairedDifferences(samples: TwoSamples): number[] {
  const { baseline, variant } = samples
  assertSample({ values: baseline, min: 2, what: 'baseline' })
  assertSample({ values: variant, min: 2, what: 'variant' })
  if (baseline.length !== variant.length) {
    throw invalidStats(
      `A paired test needs equal-length arrays matched by seed, got ${baseline.length} ` +
        `baseline and ${variant.length} variant values.`,
    )
  }
  return variant.map((v, i) => v - baseline[i]!)
}

/** Two-sided p and 95% interval of a t statistic diff / se with `df` degrees of freedom. */
function tResult(args: { diff: number; se: number; df: number }): {
  ci95: [number, number]
  p: number
} {
  const { diff, se, df } = args
  const half = tQuantile975(df) * se
  return { ci95: [diff - half, diff + half], p: tTwoSidedP({ diff, se, df }) }
}

/** With zero spread the difference is exact: p is 1 when it is 0, else 0. */
function tTwoSidedP(args: { diff: number; se: number; df: number }): number {
  const { diff, se, df } = args
  if (se === 0) return diff === 0 ? 1 : 0
  return Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(diff / se), df))
}
