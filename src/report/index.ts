export { buildExperimentReport, plannedReachability } from './build.js'
export { classMixOf, describeShares } from './class-mix.js'
export type { CollectedExperiment, CollectedTest } from './collect.js'
export { collectTests, groupByExperiment } from './collect.js'
export {
  captureEnvironment,
  diffEnvironments,
  GATED_ENVIRONMENT_FIELDS,
} from './environment.js'
export type { RunSummary } from './files.js'
export { renderStepSummary, summarizeRun, writeReportFiles } from './files.js'
export { rerunCommand, slugify } from './format.js'
export type { GateDecision, LoadedBaseline } from './gate.js'
export { gateReports } from './gate.js'
export { htmlReportWriter, renderHtmlReport, writeHtmlReport } from './html.js'
export { markdownTable, renderMarkdownReport } from './markdown.js'
export type { AblateReporterOptions } from './reporter.js'
export { AblateReporter } from './reporter.js'
export { renderGateSummary, renderTerminalReport } from './terminal.js'
export type {
  ClassMix,
  EnvironmentFingerprint,
  ExperimentReport,
  FailedRun,
  FinishedRun,
  GateReport,
  GateRowReport,
  Reachability,
  ReportOptions,
  ReportWriter,
  RunCounts,
  RunError,
  RunState,
  SeedRun,
  VariantReport,
} from './types.js'
export { REPORT_SCHEMA_VERSION } from './types.js'
