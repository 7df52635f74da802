import { type Arm, decideVerdict, type GateRow, gateRegressions, holm } from '../stats/index.js'
import type { BaselineFile } from '../store/baseline.js'
import { diffEnvironments } from './environment.js'
import type { ExperimentReport, GateReport, GateRowReport } from './types.js'

/** A committed baseline found for an experiment, with the path it came from. */
export interface LoadedBaseline {
  path: string
  file: BaselineFile
}

/** The gate's decision over a whole bench run. */
export interface GateDecision {
  /** True when any row regressed or any comparison was refused. */
  failed: boolean
  /** Keys (`<experiment> > <variant>`) of the rows that regressed. */
  regressed: string[]
  /** Experiments whose baseline was refused for a different environment. */
  refused: string[]
  /** Gated comparisons that could not be made (e.g. no shared seeds), with why. */
  skipped: string[]
}

interface PendingRow {
  report: ExperimentReport
  variant: string
  row: Omit<GateRow, 'pAdjusted' | 'verdict' | 'regressed'>
}

/**
 * Compares every variant's current runs with its committed baseline runs. Each comparison uses its
 * experiment's test (paired by seed by default); Holm runs over all gated comparisons of the run; a
 * row regresses when its verdict is "significantly worse" (beyond the rope). An experiment whose
 * baseline was saved in a different environment (backend, tfjs, GPU, arch) is refused, which fails
 * the gate, unless `allowEnvironmentMismatch` (ABLATE_GATE_ENV=ignore) compares and flags it.
 */
export function gateReports(args: {
  reports: readonly ExperimentReport[]
  baselines: ReadonlyMap<string, LoadedBaseline>
  allowEnvironmentMismatch: boolean
}): { reports: ExperimentReport[]; decision: GateDecision } {
  const decision: GateDecision = { failed: false, regressed: [], refused: [], skipped: [] }
  const gates = new Map<string, GateReport>()
  const pending: PendingRow[] = []

  for (const report of args.reports) {
    const loaded = args.baselines.get(report.experiment)
    if (!loaded) continue
    const gate = openGate({ report, loaded, allow: args.allowEnvironmentMismatch })
    gates.set(report.experiment, gate)
    if (gate.state === 'refused') decision.refused.push(report.experiment)
    else pending.push(...compareRows({ report, file: loaded.file, skipped: decision.skipped }))
  }

  finishRows({ pending, gates, decision })
  decision.failed = decision.regressed.length > 0 || decision.refused.length > 0
  const reports = args.reports.map((r) => {
    const gate = gates.get(r.experiment)
    return gate ? { ...r, gate } : r
  })
  return { reports, decision }
}

function openGate(args: {
  report: ExperimentReport
  loaded: LoadedBaseline
  allow: boolean
}): GateReport {
  const mismatch = diffEnvironments(args.loaded.file.environment, args.report.environment)
  return {
    baselineFile: args.loaded.path,
    environment: args.loaded.file.environment,
    environmentMismatch: mismatch.map(
      (f) => `${f} (${args.loaded.file.environment[f]} -> ${args.report.environment[f]})`,
    ),
    state: mismatch.length > 0 && !args.allow ? 'refused' : 'compared',
    rows: [],
  }
}

function compareRows(args: {
  report: ExperimentReport
  file: BaselineFile
  skipped: string[]
}): PendingRow[] {
  const { report } = args
  const rows: PendingRow[] = []
  for (const variant of report.variants) {
    const key = `${report.experiment} > ${variant.name}`
    // Not run at all in this invocation (left out by a -t filter): nothing to gate.
    if (variant.runs.length === 0) continue
    const saved = args.file.variants.find((v) => v.name === variant.name)
    if (!saved) {
      args.skipped.push(`${key}: not in the baseline file`)
      continue
    }
    const current = armOf(variant.name, variant.runs, report.options.metric)
    const stored = armOf(variant.name, saved.runs, report.options.metric)
    try {
      const { rows: made } = gateRegressions({
        comparisons: [{ key, baseline: stored, current }],
        ...report.options,
      })
      if (made[0]) rows.push({ report, variant: variant.name, row: made[0] })
    } catch (error) {
      args.skipped.push(`${key}: ${(error as Error).message}`)
    }
  }
  return rows
}

/** The runs' values of `metric`, skipping failed runs and runs without that metric. */
function armOf(
  name: string,
  runs: readonly { seed: number; metrics: Record<string, number>; state?: string }[],
  metric: string,
): Arm {
  const usable = runs.filter(
    (run) => run.state !== 'failed' && Number.isFinite(run.metrics[metric]),
  )
  return { name, seeds: usable.map((r) => r.seed), values: usable.map((r) => r.metrics[metric]!) }
}

function finishRows(args: {
  pending: PendingRow[]
  gates: Map<string, GateReport>
  decision: GateDecision
}): void {
  const adjusted = holm(args.pending.map((p) => p.row.comparison.p))
  args.pending.forEach((pending, i) => {
    const pAdjusted = adjusted[i] ?? 1
    const { options } = pending.report
    const verdict = decideVerdict({ ...options, comparison: pending.row.comparison, pAdjusted })
    const row: GateRowReport = {
      key: pending.row.key,
      variant: pending.variant,
      comparison: pending.row.comparison,
      pAdjusted,
      verdict,
      regressed: verdict.kind === 'worse',
    }
    args.gates.get(pending.report.experiment)?.rows.push(row)
    if (row.regressed) args.decision.regressed.push(row.key)
  })
}
