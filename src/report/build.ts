import type { AblateTestMeta } from '../spec/meta.js'
import {
  type Arm,
  analyzeExperiment,
  checkReachable,
  type ExperimentAnalysis,
} from '../stats/index.js'
import { classMixOf } from './class-mix.js'
import type { CollectedExperiment, CollectedTest } from './collect.js'
import { captureEnvironment } from './environment.js'
import { rerunCommand } from './format.js'
import { skippedImagesWarning } from './skipped-images.js'
import {
  type EnvironmentFingerprint,
  type ExperimentReport,
  REPORT_SCHEMA_VERSION,
  type RunCounts,
  type SeedRun,
  type VariantReport,
} from './types.js'

/** Builds one experiment's report from its collected tests: runs, statistics, verdicts. */
export function buildExperimentReport(args: {
  group: CollectedExperiment
  /** Default: now. */
  createdAt?: Date
}): ExperimentReport {
  const { meta } = args.group
  const rows = meta.variants.map((row) => ({
    ...row,
    runs: runsOf(args.group.tests, row.name),
  }))
  const warnings = [...duplicateWarnings(args.group), ...skippedWarnings(rows)]
  const analysis = analyze({ group: args.group, rows, warnings })

  const variants = rows.map((row) => toVariantReport({ meta: args.group.meta, row, analysis }))
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    experiment: meta.name,
    file: meta.file,
    line: meta.line,
    options: meta.options,
    ...(meta.description === undefined ? {} : { description: meta.description }),
    baseline: meta.baseline,
    variants,
    reachability: analysis?.reachability ?? plannedReachability(args.group),
    counts: sumCounts(variants.map((v) => v.counts)),
    wallTimeMs: wallTime(args.group.tests),
    environment: environmentOf(args.group.tests),
    warnings,
    createdAt: (args.createdAt ?? new Date()).toISOString(),
  }
}

type Row = AblateTestMeta['experiment']['variants'][number] & { runs: SeedRun[] }

/** The variant's runs in repetition order; tests skipped by a filter or never run are left out. */
function runsOf(tests: readonly CollectedTest[], variant: string): SeedRun[] {
  return tests
    .filter((test) => test.meta.variant === variant)
    .sort((a, b) => a.meta.repetition - b.meta.repetition)
    .flatMap((test) => {
      if (test.meta.outcome) return [test.meta.outcome]
      if (test.state !== 'failed') return []
      // The test failed before the harness could record an outcome (e.g. a crash in a hook).
      const message = test.errorMessage ?? 'the test failed without an error message'
      return [failedWithoutOutcome(test, message)]
    })
}

function failedWithoutOutcome(test: CollectedTest, message: string): SeedRun {
  return {
    state: 'failed',
    seed: test.meta.seed,
    repetition: test.meta.repetition,
    durationMs: Math.round(test.durationMs ?? 0),
    value: null,
    metrics: {},
    error: { message },
  }
}

function toArm(row: Row): Arm {
  const finished = row.runs.filter((run) => run.state !== 'failed')
  return {
    name: row.name,
    values: finished.map((run) => run.value as number),
    seeds: finished.map((run) => run.seed),
  }
}

function analyze(args: {
  group: CollectedExperiment
  rows: Row[]
  warnings: string[]
}): ExperimentAnalysis | null {
  const { options } = args.group.meta
  const base = args.rows.find((row) => row.role === 'baseline')
  if (!base) return null
  try {
    // Variants left out by a -t filter are not analysed (a note and a warning say so).
    const ran = args.rows.filter((row) => row.role === 'variant' && row.runs.length > 0)
    const skipped = args.rows.filter((row) => row.role === 'variant' && row.runs.length === 0)
    if (skipped.length > 0) args.warnings.push(filteredWarning(skipped.map((row) => row.name)))
    return analyzeExperiment({
      baseline: toArm(base),
      variants: ran.map(toArm),
      alpha: options.alpha,
      rope: options.rope,
      direction: options.direction,
      test: options.test,
    })
  } catch (error) {
    args.warnings.push(`statistics failed: ${(error as Error).message}`)
    return null
  }
}

function toVariantReport(args: {
  meta: CollectedExperiment['meta']
  row: Row
  analysis: ExperimentAnalysis | null
}): VariantReport {
  const { row, analysis, meta } = args
  const found = analysis?.variants.find((v) => v.name === row.name)
  const isBaseline = row.role === 'baseline'
  return {
    name: row.name,
    role: row.role,
    config: row.config,
    runs: row.runs,
    counts: countRuns(row.runs),
    summary: isBaseline ? (analysis?.baseline.summary ?? null) : (found?.summary ?? null),
    comparison: found?.comparison ?? null,
    pAdjusted: found?.pAdjusted ?? null,
    verdict: found?.verdict ?? null,
    mde: found?.mde ?? null,
    notes:
      row.runs.length === 0
        ? ['not run in this invocation']
        : ((isBaseline ? analysis?.baseline.notes : found?.notes) ?? []),
    rerun: rerunCommand({ experiment: meta.name, baseline: meta.baseline, variant: row.name }),
    classMix: classMixOf(row.runs),
  }
}

/** Reachability for the planned design, when no analysis could be made. */
export function plannedReachability(group: Pick<CollectedExperiment, 'meta'>) {
  const { options, variants } = group.meta
  return checkReachable({
    test: options.test,
    n: options.repetitions,
    alpha: options.alpha,
    comparisons: Math.max(1, variants.length - 1),
  })
}

function countRuns(runs: readonly SeedRun[]): RunCounts {
  const counts: RunCounts = { passed: 0, cached: 0, failed: 0 }
  for (const run of runs) counts[run.state] += 1
  return counts
}

function sumCounts(list: readonly RunCounts[]): RunCounts {
  return list.reduce(
    (sum, c) => ({
      passed: sum.passed + c.passed,
      cached: sum.cached + c.cached,
      failed: sum.failed + c.failed,
    }),
    { passed: 0, cached: 0, failed: 0 },
  )
}

/** From the first test's start to the last test's end, in this invocation. */
function wallTime(tests: readonly CollectedTest[]): number {
  const timed = tests.filter((t) => t.startTime !== null && t.durationMs !== null)
  if (timed.length === 0) return 0
  const start = Math.min(...timed.map((t) => t.startTime as number))
  const end = Math.max(...timed.map((t) => (t.startTime as number) + (t.durationMs as number)))
  return Math.round(end - start)
}

/** The environment stored with the runs: a trained run's first, else this process's. */
function environmentOf(tests: readonly CollectedTest[]): EnvironmentFingerprint {
  const withEnv = tests.filter((t) => t.meta.environment && t.meta.outcome?.state !== 'failed')
  const fresh = withEnv.find((t) => t.meta.outcome?.state === 'passed') ?? withEnv[0]
  return fresh?.meta.environment ?? captureEnvironment()
}

function duplicateWarnings(group: CollectedExperiment): string[] {
  if (group.moduleIds.length <= 1) return []
  return [
    `experiment '${group.meta.name}' is declared in ${group.moduleIds.length} files (${group.moduleIds.join(', ')}): their runs were merged; give each experiment a unique name`,
  ]
}

function skippedWarnings(rows: readonly Row[]): string[] {
  const warning = skippedImagesWarning(rows.flatMap((row) => row.runs))
  return warning === null ? [] : [warning]
}

function filteredWarning(names: string[]): string {
  const list = names.map((n) => `'${n}'`).join(', ')
  return `${list} did not run in this invocation (filtered out): Holm corrects only over the variants shown, so run the whole experiment before trusting a verdict`
}

/** True when at least one of the experiment's tests ran (or failed) in this invocation. */
export function hasRuns(group: CollectedExperiment): boolean {
  return group.tests.some((test) => test.meta.outcome !== undefined || test.state === 'failed')
}
