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
  // Shortcoming: rank and permutation tests are planned with t-test power (their asymptotic
  // efficiency is 0.86-1 of it for near-normal data), and with 6 seeds Wilcoxon and sign-flip may
  // not reach alpha at all (checkReachable says so). The mark can go with simulated power per test.
  const plan = resolvePlan(args)
  assertSeeds(args.n)
  if (args.sd === 0) return 0

  const power = (x: number) => powerAt({ ...plan, n: args.n, standardized: x }) - plan.power
  return solveIncreasing({ f: power, guess: normalGuess({ ...plan, n: args.n }) }) * args.sd
}

/** Normal-theory effect in sd units: (z(1 - alpha/2) + z(power)) / sqrt(effective n). */
function normalGuess(args: { n: number; alpha: number; power: number; paired: boolean }): number {
  const z = (p: number) => jStat.normal.inv(p, 0, 1)
  const effectiveN = args.paired ? args.n : args.n / 2
  return (z(1 - args.alpha / 2) + z(args.power)) / Math.sqrt(effectiveN)
}

/**
 * Root of an increasing function by bracketing around `guess`, then regula falsi with the Illinois
 * step: jstat's noncentral t cdf costs ~0.5 ms, so a few evaluations matter (bisection took ~45).
 */
function solveIncreasing(args: { f: (x: number) => number; guess: number }): number {
  const { f } = args
  let [low, high] = [args.guess / 2, args.guess * 2]
  let [fLow, fHigh] = [f(low), f(high)]
  while (fLow > 0 && low > 1e-12) [low, fLow] = [low / 4, f(low / 4)]
  while (fHigh < 0 && high < 1e6) [high, fHigh] = [high * 4, f(high * 4)]
  let side = 0
  for (let i = 0; i < 100 && high - low > 1e-10 * high; i++) {
    const x = (low * fHigh - high * fLow) / (fHigh - fLow)
    const fx = f(x)
    // Power to 1e-10 pins the effect to ~1e-9 relative: far below any metric's resolution.
    if (Math.abs(fx) < 1e-10) return x
    if (fx < 0) {
      ;[low, fLow] = [x, fx]
      if (side === -1) fHigh /= 2
      side = -1
    } else {
      ;[high, fHigh] = [x, fx]
      if (side === 1) fLow /= 2
      side = 1
    }
  }
  return (low + high) / 2
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
