/**
 * ablate's public API: spec helpers for `experiments/*.exp.ts`, the run contract, the reporter for
 * vitest configs, and the report types that reporters and tools read.
 */
export type {
  AblateReporterOptions,
  EnvironmentFingerprint,
  ExperimentReport,
  GateReport,
  ReportOptions,
  ReportWriter,
  RunCounts,
  SeedRun,
  VariantReport,
} from './report/index.js'
export { AblateReporter, htmlReportWriter } from './report/index.js'
export type {
  DeepPartial,
  ExperimentOptions,
  FingerprintedRunFn,
  ProgressEvent,
  RunContext,
  RunFn,
  RunResult,
  SpecHelpers,
  VariantOptions,
} from './spec/index.js'
export { baseline, experiment, variant } from './spec/index.js'
export type { BaselineFile } from './store/index.js'
export type {
  Architecture,
  AugmentConfig,
  BackendName,
  DataConfig,
  Trainable,
  TrainConfig,
} from './train/config.js'
