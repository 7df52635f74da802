import jStat from 'jstat'
import { assertNonNegative, assertProbability, invalidStats } from './sample.js'

/** Arguments shared by the power calculations. */
interface PowerBase {
  /** Spread: sd of the per-seed differences (paired) or the pooled sd of one arm (unpaired). */
  sd: number
  alpha: number
  /** Default: 0.8. Probability of a significant result when the effect is real. */
  power?: number
  /** True for paired tests (one-sample t on differences); false for two arms of n runs each. */
  paired: boolean
  /** Default: 1. Comparisons under Holm; planned at its strictest step, alpha / comparisons. */
  comparisons?: number
}

/** Arguments of `minimumDetectableEffect`. */
export interface MinimumDetectableEffectArgs extends PowerBase {
  /** Pairs (paired) or runs per arm (unpaired). */
  n: number
}

/** Arguments of `seedsNeeded`. */
export interface SeedsNeededArgs extends PowerBase {
  /** The true difference to detect, in metric units (sign ignored). */
  effect: number
}

/** Seeds beyond which `seedsNeeded` gives up and throws. */
export const MAX_SEEDS = 100_000

/**
 * The smallest true difference that a two-sided t-test at level alpha / comparisons detects with
 * the given power (default 80%), from the exact noncentral t distribution. For the exact and rank
 * tests this is the t-test's figure, a close approximation for near-normal metrics.
 */
export function minimumDetectableEffect(args: MinimumDetectableEffectArgs): number {
  const plan = resolvePlan(args)
  assertSeeds(args.n)
  if (args.sd === 0) return 0

  // Power grows with the effect: bracket, then bisect on effect / sd.
  let [low, high] = [0, 1]
  while (powerAt({ ...plan, n: args.n, standardized: high }) < plan.power) high *= 2
  for (let i = 0; i < 100 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2
    if (powerAt({ ...plan, n: args.n, standardized: mid }) < plan.power) low = mid
    else high = mid
  }
  return high * args.sd
}

/**
 * The smallest number of seeds (pairs, or runs per arm when unpaired) at which a two-sided t-test
 * at level alpha / comparisons detects `effect` with the given power (default 80%).
 */
export function seedsNeeded(args: SeedsNeededArgs): number {
  const plan = resolvePlan(args)
  const effect = Math.abs(args.effect)
  if (!(effect > 0 && Number.isFinite(effect))) {
    throw invalidStats(`effect must be a nonzero finite difference, got ${args.effect}.`)
  }
  if (args.sd === 0) return 2

  const standardized = effect / args.sd
  const enough = (n: number) => powerAt({ ...plan, n, standardized }) >= plan.power
  let high = 2
  while (!enough(high)) {
    high *= 2
    if (high > MAX_SEEDS) {
      throw invalidStats(
        `An effect of ${args.effect} with sd ${args.sd} needs more than ${MAX_SEEDS} seeds: ` +
          'it is too small to detect; raise the rope or reduce the noise.',
      )
    }
  }
  let low = high / 2
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (enough(mid)) high = mid
    else low = mid
  }
  return high
}

/**
 * Power of the two-sided t-test at level `alpha` for a true difference of `standardized` sds:
 * paired n pairs (df n - 1, ncp = x sqrt(n)) or two arms of n (df 2n - 2, ncp = x sqrt(n / 2)).
 */
export function powerAt(args: {
  n: number
  standardized: number
  alpha: number
  paired: boolean
}): number {
  const { n, standardized, alpha, paired } = args
  const df = paired ? n - 1 : 2 * n - 2
  const ncp = standardized * Math.sqrt(paired ? n : n / 2)
  const critical = jStat.studentt.inv(1 - alpha / 2, df)
  const upper = 1 - jStat.noncentralt.cdf(critical, df, ncp)
  return upper + jStat.noncentralt.cdf(-critical, df, ncp)
}

function resolvePlan(args: PowerBase): { alpha: number; power: number; paired: boolean } {
  const power = args.power ?? 0.8
  const comparisons = args.comparisons ?? 1
  assertProbability(args.alpha, 'alpha')
  assertProbability(power, 'power')
  assertNonNegative(args.sd, 'sd')
  if (!(Number.isInteger(comparisons) && comparisons >= 1)) {
    throw invalidStats(`comparisons must be an integer >= 1, got ${comparisons}.`)
  }
  return { alpha: args.alpha / comparisons, power, paired: args.paired }
}

function assertSeeds(n: number): void {
  if (!(Number.isInteger(n) && n >= 2)) {
    throw invalidStats(`n must be an integer number of seeds >= 2, got ${n}.`)
  }
}
