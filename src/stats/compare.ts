import { permutation, signFlip } from './exact-tests.js'
import { mannWhitney, wilcoxon } from './rank-tests.js'
import { invalidStats } from './sample.js'
import { pairedT, type TwoSamples, welchT } from './t-tests.js'
import type { Comparison, TestKind } from './types.js'

/** Arguments of `compare`. */
export interface CompareArgs {
  /** Baseline values; for paired tests index i must be the same seed as `variant[i]`. */
  baseline: readonly number[]
  variant: readonly number[]
  test: TestKind
}

const TESTS: Record<TestKind, (samples: TwoSamples) => Comparison> = {
  'paired-t': pairedT,
  welch: welchT,
  'sign-flip': signFlip,
  permutation,
  wilcoxon,
  'mann-whitney': mannWhitney,
}

/** Tests that compare per-seed differences and so need arrays matched by seed. */
export const PAIRED_TESTS: readonly TestKind[] = ['paired-t', 'sign-flip', 'wilcoxon']

/** Whether `test` compares per-seed differences (and needs matched seeds). */
export function isPairedTest(test: TestKind): boolean {
  return PAIRED_TESTS.includes(test)
}

/**
 * Variant minus baseline with the chosen test: difference, its 95% interval, two-sided p and an
 * effect size. Paired tests take equal-length arrays matched by index (= by seed); each needs at
 * least 2 values per arm.
 */
export function compare(args: CompareArgs): Comparison {
  const run = TESTS[args.test]
  if (run === undefined) {
    throw invalidStats(
      `test must be one of ${Object.keys(TESTS).join(', ')}, got '${String(args.test)}'.`,
    )
  }
  return run({ baseline: args.baseline, variant: args.variant })
}
