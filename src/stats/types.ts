/**
 * Shared statistics vocabulary. Short forms, documented once:
 * n = sample size, sd = sample standard deviation (n - 1), sem = standard error of the mean,
 * df = degrees of freedom, ci95 = two-sided 95% confidence interval [low, high], p = p-value,
 * rope = region of practical equivalence (the minimum effect that matters, as +/- rope).
 */

/** Whether a larger metric value is better (`'higher'`, e.g. F1) or worse (`'lower'`: loss). */
export type Direction = 'higher' | 'lower'

/** The test used to compare a variant with its baseline. */
export type TestKind =
  | 'paired-t' // paired t-test over matched seeds (default)
  | 'welch' // Welch's unequal-variance t-test
  | 'sign-flip' // exact paired permutation (sign-flip) test over matched seeds
  | 'permutation' // exact (Monte Carlo when large) two-sample permutation test on the mean diff
  | 'wilcoxon' // Wilcoxon signed-rank, exact for small n
  | 'mann-whitney' // Mann-Whitney U, exact for small n without ties

/** Location and spread of one variant's values. */
export interface Summary {
  n: number
  mean: number
  sd: number
  sem: number
  df: number
  /** Two-sided 95% Student-t interval of the mean. */
  ci95: [number, number]
}

/** Variant minus baseline, from one test. */
export interface Comparison {
  test: TestKind
  /**
   * Variant minus baseline: the mean difference (paired: mean of per-seed differences) for
   * paired-t, welch, sign-flip and permutation; the Hodges-Lehmann estimate for wilcoxon (median
   * of Walsh averages of the per-seed differences) and mann-whitney (median of all pairwise
   * differences).
   */
  diff: number
  /**
   * 95% interval of `diff`: Student-t for the t-tests, the inversion of the test itself for the
   * others (so p < 0.05 exactly when it excludes 0, ties aside). Unbounded (±Infinity, which
   * JSON writes as null) when the test cannot reach 5% at this n, e.g. sign-flip with 5 pairs.
   */
  ci95: [number, number]
  /** Two-sided p-value, uncorrected. */
  p: number
  /**
   * Effect size: Hedges' g (unpaired) or d_z with small-sample correction (paired), from means
   * and sds whatever the test; ±Infinity when the spread is 0 and the difference is not.
   */
  effectSize: { name: 'hedges-g' | 'dz'; value: number }
  /** Pairs (paired tests) or [n baseline, n variant]. */
  n: number | [number, number]
}

/** The verdict words shown in every report. */
export type VerdictKind =
  | 'better' // significantly better: corrected p < alpha and the CI clears +rope
  | 'worse' // significantly worse: corrected p < alpha and the CI clears -rope
  | 'negligible' // significant, but the CI does not clear the rope
  | 'equivalent' // the CI lies inside [-rope, +rope]
  | 'inconclusive' // no statistically significant difference

/** A variant's verdict against the baseline: its kind and the words reports print for it. */
export interface Verdict {
  kind: VerdictKind
  /**
   * Human words, e.g. "significantly better", "equivalent within ±0.01", "no statistically
   * significant difference".
   */
  label: string
}
