export type { FingerprintedRunFn } from './default-run.js'
export type { ExecutedRun, RunPlan } from './execute.js'
export { executeRun } from './execute.js'
export type { DeepPartial, SpecHelpers } from './experiment.js'
export { baseline, experiment, variant } from './experiment.js'
export { mergeConfig } from './merge.js'
export type { AblateTestMeta, ExperimentMeta, ProgressArtifact } from './meta.js'
export type {
  ExperimentOptions,
  ResolvedExperimentOptions,
  VariantOptions,
} from './options.js'
export { DEFAULT_TIMEOUT_MS, KNOWN_METRICS } from './options.js'
export { resolveExperimentOptions } from './resolve.js'
export type { ProgressEvent, RunContext, RunFn, RunResult } from './run.js'
