import { resolve } from 'node:path'
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node'
import type { ProgressArtifact } from '../spec/meta.js'
import { baselinePath, DEFAULT_BASELINES_DIR, readBaselineFile } from '../store/baseline.js'
import { buildExperimentReport, hasRuns, plannedReachability } from './build.js'
import { type CollectedExperiment, collectTests, groupByExperiment } from './collect.js'
import { writeReportFiles } from './files.js'
import { slugify } from './format.js'
import { type GateDecision, gateReports, type LoadedBaseline } from './gate.js'
import { formatProgress, formatRunLine } from './progress.js'
import { renderGateSummary, renderTerminalReport } from './terminal.js'
import type { ExperimentReport, ReportWriter } from './types.js'

/** Options of `AblateReporter`. All optional. */
export interface AblateReporterOptions {
  /** Default `ABLATE_REPORTS_DIR` or 'reports'. Folder of the markdown, JSON and writers' files. */
  reportsDir?: string
  /** Default `ABLATE_BASELINES_DIR` or 'baselines'. Folder of the committed baselines. */
  baselinesDir?: string
  /** Default true. Compare with committed baselines and fail the run on a regression. */
  gate?: boolean
  /** Default []. Extra writers called with every report at the end (e.g. the HTML report). */
  writers?: ReportWriter[]
  /** Default true. Print one line per finished run and per progress event. */
  live?: boolean
}

/** `AblateReporterOptions` resolved once. */
interface ResolvedReporterOptions {
  reportsDir: string
  baselinesDir: string
  gate: boolean
  writers: ReportWriter[]
  live: boolean
}

/**
 * The vitest reporter of a bench run: live progress, then per experiment the verdict table, the
 * files under reports/, the regression gate against baselines/ (exit code 1 on a regression), and
 * any extra writers. Reads everything from test meta, so it works the same after `--merge-reports`.
 */
export class AblateReporter implements Reporter {
  private ctx: Vitest | undefined
  private readonly options: ResolvedReporterOptions
  private readonly announced = new Set<string>()
  private done = 0
  private total = 0

  constructor(options: AblateReporterOptions = {}) {
    this.options = {
      reportsDir: resolve(options.reportsDir ?? (process.env.ABLATE_REPORTS_DIR || 'reports')),
      baselinesDir: resolve(
        options.baselinesDir ?? (process.env.ABLATE_BASELINES_DIR || DEFAULT_BASELINES_DIR),
      ),
      gate: options.gate ?? true,
      writers: options.writers ?? [],
      live: options.live ?? true,
    }
  }

  onInit(ctx: Vitest): void {
    this.ctx = ctx
  }

  onTestModuleCollected(module: TestModule): void {
    for (const group of groupByExperiment(collectTests([module]))) {
      this.total += group.tests.filter((t) => t.state !== 'skipped').length
      if (this.announced.has(group.meta.name)) continue
      this.announced.add(group.meta.name)
      const check = plannedReachability(group)
      if (!check.reachable) this.print(`! ${group.meta.name}: ${check.message}`)
    }
  }

  onTestCaseArtifactRecord(_testCase: TestCase, artifact: { type: string }): void {
    if (!this.options.live || artifact.type !== 'ablate:progress') return
    this.print(formatProgress(artifact as ProgressArtifact))
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta().ablate
    if (!meta?.outcome || !this.options.live) return
    this.done += 1
    this.print(
      formatRunLine({
        experiment: meta.experiment.name,
        variant: meta.variant,
        metric: meta.experiment.options.metric,
        run: meta.outcome,
        done: this.done,
        total: Math.max(this.total, this.done),
      }),
    )
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>): Promise<void> {
    this.printModuleErrors(modules)
    // Experiments filtered out entirely (-t, or another file selected) keep their last reports.
    const groups = groupByExperiment(collectTests(modules)).filter(hasRuns).sort(bySpecPosition)
    if (groups.length === 0) return
    const built = groups.map((group) => buildExperimentReport({ group }))

    const { reports, decision } = this.options.gate
      ? await this.applyGate(built)
      : { reports: built, decision: null }
    for (const report of reports) this.print(`\n${renderTerminalReport(report)}`)
    await this.writeAll(reports, decision)
    if (decision) this.printDecision(reports, decision)
  }

  private async applyGate(
    reports: ExperimentReport[],
  ): Promise<{ reports: ExperimentReport[]; decision: GateDecision | null }> {
    const baselines = new Map<string, LoadedBaseline>()
    for (const report of reports) {
      const path = baselinePath({
        dir: this.options.baselinesDir,
        slug: slugify(report.experiment),
      })
      const file = await readBaselineFile(path)
      if (file) baselines.set(report.experiment, { path, file })
    }
    if (baselines.size === 0) return { reports, decision: null }
    const allow = process.env.ABLATE_GATE_ENV === 'ignore'
    return gateReports({ reports, baselines, allowEnvironmentMismatch: allow })
  }

  private async writeAll(
    reports: ExperimentReport[],
    decision: GateDecision | null,
  ): Promise<void> {
    const dir = this.options.reportsDir
    const written = await writeReportFiles({ reports, gate: decision, dir })
    for (const writer of this.options.writers) {
      try {
        await writer({ reports, dir })
      } catch (error) {
        this.print(`! a report writer failed: ${(error as Error).message}`)
        process.exitCode = 1
      }
    }
    this.print(`reports: ${written.length} files under ${dir}`)
  }

  private printDecision(reports: ExperimentReport[], decision: GateDecision): void {
    this.print(`\n${renderGateSummary(reports)}`)
    for (const skipped of decision.skipped) this.print(`! gate skipped ${skipped}`)
    if (!decision.failed) {
      this.print('regression gate: passed')
      return
    }
    const why = [
      ...decision.regressed.map((key) => `regressed ${key}`),
      ...decision.refused.map((name) => `refused ${name} (environment differs)`),
    ]
    this.print(`regression gate: FAILED (${why.join('; ')})`)
    process.exitCode = 1
  }

  /** Errors outside any test, e.g. a bad spec rejected at collection. */
  private printModuleErrors(modules: ReadonlyArray<TestModule>): void {
    for (const module of modules) {
      for (const error of module.errors()) {
        this.print(`x ${module.relativeModuleId}: ${error.message}`)
      }
    }
  }

  private print(text: string): void {
    if (this.ctx) this.ctx.logger.log(text)
    else process.stdout.write(`${text}\n`)
  }
}

/** Spec file, then line: the same order however the files were scheduled, sharded or merged. */
function bySpecPosition(a: CollectedExperiment, b: CollectedExperiment): number {
  if (a.meta.file !== b.meta.file) return a.meta.file < b.meta.file ? -1 : 1
  return (a.meta.line ?? 0) - (b.meta.line ?? 0)
}
