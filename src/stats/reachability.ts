import jStat from 'jstat'
import { isPairedTest } from './compare.js'
import { binomial, EXACT_ENUMERATION_LIMIT, MONTE_CARLO_RESAMPLES } from './exact-tests.js'
import { MANN_WHITNEY_EXACT_MAX } from './rank-tests.js'
import { assertProbability, invalidStats } from './sample.js'
import type { TestKind } from './types.js'

/** Arguments of `minAttainableP`. */
export interface MinAttainablePArgs {
  test: TestKind
  /** Pairs for paired tests; baseline runs for unpaired ones. */
  n: number
  /** Default: `n`. Variant runs (unpaired tests only). */
  m?: number
}

/** Arguments of `checkReachable`. */
export interface CheckReachableArgs extends MinAttainablePArgs {
  alpha: number
  /** Number of comparisons corrected together with Holm (e.g. the experiment's variants). */
  comparisons: number
}

/** Outcome of `checkReachable`. */
export interface ReachabilityCheck {
  reachable: boolean
  /** The smallest two-sided p the test can produce at this n, before correction. */
  minP: number
  /** One sentence a report can print as is. */
  message: string
}

const NAMES: Record<TestKind, string> = {
  'paired-t': 'the paired t-test',
  welch: "Welch's t-test",
  'sign-flip': 'the exact sign-flip test',
  permutation: 'the exact permutation test',
  wilcoxon: 'the paired Wilcoxon signed-rank test',
  'mann-whitney': 'the Mann-Whitney U test',
}

/**
 * The smallest two-sided p-value `test` can produce with these sample sizes (no ties, no zero
 * differences): 0 for t-tests (continuous), 2 / 2^n for sign-flip and Wilcoxon, 2 / C(n+m, n) for
 * Mann-Whitney, 2 / C(n+m, n) (1 / C when n != m) for the permutation test, and the Monte Carlo
 * floor 1 / (resamples + 1) where the exact tests sample instead of enumerating.
 */
export function minAttainableP(args: MinAttainablePArgs): number {
  const { test, n } = args
  const m = args.m ?? n
  assertSizes({ test, n, m })

  if (test === 'paired-t' || test === 'welch') return 0
  if (test === 'wilcoxon') return 2 ** (1 - n)
  if (test === 'sign-flip') return withMonteCarloFloor(2 ** (1 - n), 2 ** n)
  const splits = binomial(n + m, n)
  if (test === 'permutation') return withMonteCarloFloor((n === m ? 2 : 1) / splits, splits)
  if (n + m <= MANN_WHITNEY_EXACT_MAX) return Math.min(1, 2 / splits)
  // Normal approximation with continuity correction at the most extreme U = n m.
  const z = ((n * m) / 2 - 0.5) / Math.sqrt((n * m * (n + m + 1)) / 12)
  return 2 * jStat.normal.cdf(-z, 0, 1)
}

/**
 * Whether any comparison can become significant: under Holm over `comparisons` tests the smallest p
 * must fall below alpha / comparisons, so the test's smallest attainable p must too. Say so before
 * spending hours on runs whose verdict is fixed in advance.
 */
export function checkReachable(args: CheckReachableArgs): ReachabilityCheck {
  const { test, alpha, comparisons } = args
  assertProbability(alpha, 'alpha')
  if (!(Number.isInteger(comparisons) && comparisons >= 1)) {
    throw invalidStats(`comparisons must be an integer >= 1, got ${comparisons}.`)
  }

  const minP = minAttainableP(args)
  const threshold = alpha / comparisons
  const reachable = minP < threshold
  const what = `${capitalize(NAMES[test])} with ${describeSizes(args)}`
  const plural = comparisons === 1 ? '' : 's'
  const needs =
    `Holm over ${comparisons} comparison${plural} at alpha ${alpha} ` +
    `needs p < ${formatP(threshold)}`
  const floor = minP === 0 ? 'any p is attainable' : `the smallest attainable p is ${formatP(minP)}`
  const message = reachable
    ? `${what}: ${floor}, and ${needs}: a significant verdict is reachable.`
    : `${what} cannot go below p = ${formatP(minP)}, but ${needs}: no verdict can be ` +
      `significant. ${suggestFix({ ...args, threshold })}`
  return { reachable, minP, message }
}

function suggestFix(args: CheckReachableArgs & { threshold: number }): string {
  const { test, n, threshold } = args
  const ratio = (args.m ?? n) / n
  for (let k = n + 1; k <= 1000; k++) {
    const m = isPairedTest(test) ? undefined : Math.max(2, Math.round(ratio * k))
    if (minAttainableP({ test, n: k, m }) < threshold) {
      return `Use at least ${k} seeds, or the paired t-test.`
    }
  }
  return 'Use the paired t-test.'
}

function withMonteCarloFloor(exactMinP: number, patterns: number): number {
  return patterns > EXACT_ENUMERATION_LIMIT
    ? Math.max(exactMinP, 1 / (MONTE_CARLO_RESAMPLES + 1))
    : exactMinP
}

function assertSizes(args: { test: TestKind; n: number; m: number }): void {
  const { test, n, m } = args
  if (!(test in NAMES)) {
    throw invalidStats(
      `test must be one of ${Object.keys(NAMES).join(', ')}, got '${String(test)}'.`,
    )
  }
  const paired = isPairedTest(test)
  if (!(Number.isInteger(n) && n >= 2) || (!paired && !(Number.isInteger(m) && m >= 2))) {
    throw invalidStats(
      `${NAMES[test]} needs integer sample sizes >= 2, ` +
        `got n = ${n}${paired ? '' : `, m = ${m}`}.`,
    )
  }
}

function describeSizes(args: MinAttainablePArgs): string {
  if (isPairedTest(args.test)) return `${args.n} paired seeds`
  return `${args.n} baseline and ${args.m ?? args.n} variant runs`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** p-values for messages: 4 significant digits, e.g. 0.03125, 0.0125, 2.165e-3 kept readable. */
export function formatP(p: number): string {
  return String(Number(p.toPrecision(4)))
}
