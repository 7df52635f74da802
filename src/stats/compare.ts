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

/** Every test `compare` knows. */
export const TEST_KINDS = Object.keys(TESTS) as TestKind[]

/** Tests that compare per-seed differences and so need arrays matched by seed. */
export const PAIRED_TESTS: readonly TestKind[] = ['paired-t', 'sign-flip', 'wilcoxon']

/** Whether `test` names one of the tests `compare` knows. */
export function isTestKind(test: unknown): test is TestKind {
  return typeof test === 'string' && Object.hasOwn(TESTS, test)
}

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
  if (!isTestKind(args.test)) {
    throw invalidStats(`test must be one of ${TEST_KINDS.join(', ')}, got '${String(args.test)}'.`)
  }
  return TESTS[args.test]({ baseline: args.baseline, variant: args.variant })
}
