/**
 * The run contract between the harness and whatever trains: one repetition of one variant.
 * Training code implements `RunFn`; the harness calls it, stores its result and feeds statistics.
 */

/** Progress of a run, emitted by the run function and forwarded to reporters. */
export interface ProgressEvent {
  /** 1-based epoch just finished. */
  epoch: number
  epochs: number
  /** Training loss of the epoch, and any validation metrics computed after it. */
  loss: number
  metrics: Record<string, number>
  elapsedMs: number
  /** Estimated remaining time of this run. */
  etaMs: number
}

/** What a run function receives. */
export interface RunContext<C = Record<string, unknown>> {
  /** The experiment's config with the variant's config merged over it. */
  config: C
  /** The repetition's seed: the same for repetition i in every variant (paired design). */
  seed: number
  /** Aborts on timeout or user interruption: stop promptly and throw. */
  signal: AbortSignal
  experiment: string
  variant: string
  /** 0-based repetition index. */
  repetition: number
  /** Optional progress sink; the harness forwards events to reporters. */
  onProgress?: (event: ProgressEvent) => void
}

/** What a run function returns. `metrics` feeds statistics; `details` is stored as-is. */
export interface RunResult {
  /** Scalar metrics, e.g. { f1Macro: 0.81, accuracy: 0.86 }. */
  metrics: Record<string, number>
  /** Anything JSON-serialisable worth keeping: per-class scores, confusion, history, backend. */
  details?: Record<string, unknown>
}

/** One repetition of one variant. Any async function qualifies: ablate is not tied to tfjs. */
export type RunFn<C = Record<string, unknown>> = (context: RunContext<C>) => Promise<RunResult>
