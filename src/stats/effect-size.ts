import jStat from 'jstat'

/**
 * Hedges' small-sample correction J(df) = Γ(df/2) / (sqrt(df/2) Γ((df - 1)/2)), exact form,
 * which multiplies Cohen's d (or d_z) into an unbiased estimate.
 */
export function hedgesCorrection(df: number): number {
  const logRatio = jStat.gammaln(df / 2) - jStat.gammaln((df - 1) / 2)
  return Math.exp(logRatio) / Math.sqrt(df / 2)
}

/**
 * A standardized difference `diff / sd`, corrected by J(df). With sd = 0 it is 0 when diff is 0
 * and ±Infinity otherwise (JSON writes Infinity as null: reporters should print it as "∞").
 */
export function standardizedDifference(args: { diff: number; sd: number; df: number }): number {
  const { diff, sd, df } = args
  if (sd === 0) return diff === 0 ? 0 : Math.sign(diff) * Number.POSITIVE_INFINITY
  return (diff / sd) * hedgesCorrection(df)
}

/** Pooled sd of two samples from their variances and sizes (the denominator of Hedges' g). */
export function pooledSd(args: { varA: number; nA: number; varB: number; nB: number }): number {
  const { varA, nA, varB, nB } = args
  return Math.sqrt(((nA - 1) * varA + (nB - 1) * varB) / (nA + nB - 2))
}
