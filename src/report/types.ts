/**
 * The report of one experiment: everything a reporter (terminal, markdown, JSON, HTML, CI summary)
 * renders, built by the harness from the stored runs and the statistics. Plain JSON: no class
 * instances, no functions, no `undefined` in arrays; `reports/<experiment>.json` is this object.
 */
import type { ReachabilityCheck } from '../stats/reachability.js'
import type { Comparison, Direction, Summary, TestKind, Verdict } from '../stats/types.js'

/** Version of this report's JSON layout; bumped on any breaking change. */
export const REPORT_SCHEMA_VERSION = 1

/** How one run came to be: trained now, read back from the store, or failed (now or stored). */
export type RunState = 'passed' | 'cached' | 'failed'

/** Fields every run has, whatever its state. */
interface RunBase {
  /** The repetition's seed (the same for repetition i in every variant). */
  seed: number
  /** 0-based repetition index. */
  repetition: number
  /** Wall time of the run itself in milliseconds (for a cached run: the time it first took). */
  durationMs: number
  /** The run function's `details`, stored as-is (per-class scores, confusion, history, backend). */
  details?: Record<string, unknown>
  /** The store key of this run (hex), so a report can point at `.ablate/store/<key>.json`. */
  key?: string
}

/** A run that finished in this invocation or earlier (`cached`); it enters statistics. */
export interface FinishedRun extends RunBase {
  state: 'passed' | 'cached'
  /** The experiment's metric for this run. */
  value: number
  /** Every scalar metric the run returned. */
  metrics: Record<string, number>
}

/** A run that threw or timed out: counted in reports, never in statistics. */
export interface FailedRun extends RunBase {
  state: 'failed'
  value: null
  metrics: Record<string, number>
  error: RunError
}

/** One repetition of one variant, tagged by `state`. */
export type SeedRun = FinishedRun | FailedRun

/** An error as stored: JSON-safe. */
export interface RunError {
  message: string
  /** `AblateError` code or the error's `name`. */
  code?: string
  /** The error's stack trace, when it had one. */
  stack?: string
}

/** Counts of runs by state. */
export interface RunCounts {
  passed: number
  cached: number
  failed: number
}

/** The experiment's resolved statistical options, as the report shows them. */
export interface ReportOptions {
  /** Name of the metric compared, e.g. 'f1Macro'. */
  metric: string
  direction: Direction
  alpha: number
  /** Minimum effect that matters (region of practical equivalence), as ± rope on the metric. */
  rope: number
  test: TestKind
  repetitions: number
  /** Seed of each repetition, index = repetition. */
  seeds: number[]
}

/** One row of an experiment: the baseline or a variant compared with it. */
export interface VariantReport {
  name: string
  /** `'baseline'` for the reference row (no comparison). */
  role: 'baseline' | 'variant'
  /** The experiment's config with this variant's config deep-merged over it. */
  config: Record<string, unknown>
  /** One entry per repetition, in repetition order. */
  runs: SeedRun[]
  counts: RunCounts
  /** Over the finished runs only; null when fewer than two finished. */
  summary: Summary | null
  /** Variant minus baseline; null for the baseline or when too few runs finished. */
  comparison: Comparison | null
  /** Holm-corrected p over the experiment's variants; null where `comparison` is null. */
  pAdjusted: number | null
  verdict: Verdict | null
  /** Minimum detectable effect at 80% power given the observed spread; null when not computable. */
  mde: number | null
  /** Why `comparison` is null or what was dropped (e.g. "2 unmatched seeds dropped"). */
  notes: string[]
  /** The command that reruns exactly this variant. */
  rerun: string
  /**
   * The class mix its runs trained on, when the run function reports class counts (the training
   * engine does); absent in reports written before this field existed.
   */
  classMix?: ClassMix | null
}

/**
 * Images per class that a variant's runs drew in training (all epochs), and the training and
 * validation splits' counts.
 */
export interface ClassMix {
  classNames: string[]
  /** Finished runs that reported class counts. */
  runs: number
  /** Mean over those runs of the images drawn per class over all epochs (balancing included). */
  train: number[]
  /** `train` as shares of its total: the effective class distribution seen in training. */
  trainShare: number[]
  /**
   * Images per class in the training split, each counted once (the first run's); null when the runs
   * do not report it.
   */
  trainSplit: number[] | null
  /** Images per class in the validation split (the first run's; the split is fixed by its seed). */
  validation: number[] | null
}

/** Whether the chosen test with this n and this correction can reach alpha at all. */
export type Reachability = ReachabilityCheck

/** Where and with what the experiment ran; compared before a regression gate trusts a baseline. */
export interface EnvironmentFingerprint {
  ablateVersion: string
  /** tfjs backend name reported by the runs (e.g. 'wasm'), or null for non-tfjs runs. */
  backend: string | null
  tfjsVersion: string | null
  cpuModel: string
  cpuCount: number
  /** GPU device named by the backend, or null. */
  gpu: string | null
  /** `process.version`, e.g. 'v20.19.0'. */
  node: string
  platform: string
  arch: string
}

/** One gated comparison: the current runs of a variant against its committed baseline runs. */
export interface GateRowReport {
  /** `<experiment> > <variant>`. */
  key: string
  variant: string
  comparison: Comparison
  /** Holm over all gated comparisons of the whole bench run. */
  pAdjusted: number
  verdict: Verdict
  /** True when this row made the gate fail (significantly worse beyond the rope). */
  regressed: boolean
}

/** The regression gate's outcome for one experiment, when a committed baseline exists. */
export interface GateReport {
  /** Path of the committed baseline file that was compared. */
  baselineFile: string
  environment: EnvironmentFingerprint
  /** Fields of the environment that differ between baseline and now; empty when they match. */
  environmentMismatch: string[]
  /** `'compared'`, or `'refused'` when the environments differ (see README). */
  state: 'compared' | 'refused'
  rows: GateRowReport[]
}

/** Everything known about one experiment after a bench run. */
export interface ExperimentReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  experiment: string
  /** Spec file, relative to the project root, and the 1-based line of the `experiment()` call. */
  file: string
  line: number | null
  options: ReportOptions
  /** The experiment's `description` option, when given. */
  description?: string
  /** Name of the baseline row. */
  baseline: string
  /** Baseline first, then variants in spec order. */
  variants: VariantReport[]
  reachability: Reachability
  counts: RunCounts
  /** Wall time of the experiment's runs in this invocation, in milliseconds. */
  wallTimeMs: number
  environment: EnvironmentFingerprint
  /** Present when a committed baseline was compared. */
  gate?: GateReport
  /** Anything a reader must know (e.g. dropped seeds, unknown metric in some runs). */
  warnings: string[]
  /** ISO 8601 time the report was built. */
  createdAt: string
}

/** An extra report writer (e.g. HTML): receives every experiment's report after a bench run. */
export type ReportWriter = (args: { reports: ExperimentReport[]; dir: string }) => Promise<void>
