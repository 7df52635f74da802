import type { Direction, TestKind } from '../stats/types.js'
import type { RunFn } from './run.js'

/** Metrics whose direction and minimum effect that matters are known without being told. */
export const KNOWN_METRICS: Readonly<Record<string, { direction: Direction; rope: number }>> = {
  f1Macro: { direction: 'higher', rope: 0.01 },
  f1Micro: { direction: 'higher', rope: 0.01 },
  f1Weighted: { direction: 'higher', rope: 0.01 },
  accuracy: { direction: 'higher', rope: 0.01 },
}

/** Options of `experiment()`. All optional; resolved once by `resolveExperimentOptions`. */
export interface ExperimentOptions<C extends object = Record<string, unknown>> {
  /** Default 6 (or the length of `seeds`). Runs per variant; at least 2. */
  repetitions?: number
  /** Default [1, 2, ..., repetitions]. Seed of each repetition, shared by all variants (paired). */
  seeds?: number[]
  /** Default 'f1Macro'. Name of the metric, among those the run function returns, to compare. */
  metric?: string
  /** Default 'higher' for F1 and accuracy; required for other metrics. Whether larger is better. */
  direction?: Direction
  /** Default 0.05. Significance level after Holm correction over the experiment's variants. */
  alpha?: number
  /** Default 0.01 for F1 and accuracy; required for other metrics. Smallest effect that matters. */
  rope?: number
  /** Default 'paired-t'. The test comparing each variant with the baseline. */
  test?: TestKind
  /** Default 1_800_000 (30 minutes). Limit of one run in milliseconds; then its signal aborts. */
  timeoutMs?: number
  /** Default 1. Runs of this experiment in flight at once within one worker. */
  concurrency?: number
  /** Default: the fine-tuning engine (`trainRun` of src/train). Any async function qualifies. */
  run?: RunFn<C>
  /** Default {}. The experiment's config; each variant's config is deep-merged over it. */
  config?: C
  /** Default '1'. Bump to invalidate stored runs after a change the config does not show. */
  version?: string
  /**
   * Default none. What a reader of the report must know about the study (e.g. "random init: no
   * ImageNet weights offline"); printed under the experiment's header in every report.
   */
  description?: string
}

/** `ExperimentOptions` with every default applied. */
export interface ResolvedExperimentOptions<C extends object = Record<string, unknown>> {
  repetitions: number
  seeds: number[]
  metric: string
  direction: Direction
  alpha: number
  rope: number
  test: TestKind
  timeoutMs: number
  concurrency: number
  /** Null means the default run (loaded only when a run is needed). */
  run: RunFn<C> | null
  config: C
  version: string
  /** Trimmed; null when not given or empty. */
  description: string | null
}

/** Options of `variant()` and `baseline()`. */
export interface VariantOptions<C extends object = Record<string, unknown>> {
  /** Default: the experiment's run function. Replaces it for this variant only. */
  run?: RunFn<C>
}

/** Default limit of one run: 30 minutes. */
export const DEFAULT_TIMEOUT_MS = 1_800_000
