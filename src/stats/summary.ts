import jStat from 'jstat'
import { assertSample, mean, variance } from './sample.js'
import type { Summary } from './types.js'

/**
 * n, mean, sd, sem and the two-sided 95% Student-t interval of the mean.
 * Needs at least 2 finite values: with one value the spread is unknown.
 */
export function summarize(values: readonly number[]): Summary {
  assertSample({ values, min: 2, what: 'summarize(values)' })

  const n = values.length
  const m = mean(values)
  const sd = Math.sqrt(variance(values))
  const sem = sd / Math.sqrt(n)
  const df = n - 1
  const half = tQuantile975(df) * sem
  return { n, mean: m, sd, sem, df, ci95: [m - half, m + half] }
}

/**
 * The 97.5% quantile of Student's t: the half-width factor of a two-sided 95% interval. jstat's
 * inverse is good to ~1e-8 for fractional df; one Newton step on its cdf brings it to ~1e-12.
 */
export function tQuantile975(df: number): number {
  const x = jStat.studentt.inv(0.975, df)
  return x - (jStat.studentt.cdf(x, df) - 0.975) / jStat.studentt.pdf(x, df)
}
