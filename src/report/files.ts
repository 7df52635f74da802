import { appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { slugify } from './format.js'
import type { GateDecision } from './gate.js'
import { renderMarkdownReport } from './markdown.js'
import { type ExperimentReport, REPORT_SCHEMA_VERSION } from './types.js'

/** `reports/summary.json`: one line per experiment and variant, plus the gate's decision. */
export interface RunSummary {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  createdAt: string
  experiments: {
    experiment: string
    file: string
    counts: ExperimentReport['counts']
    variants: {
      name: string
      mean: number | null
      verdict: string | null
      pAdjusted: number | null
    }[]
  }[]
  gate: GateDecision | null
}

/** Builds the summary of a bench run. */
export function summarizeRun(args: {
  reports: readonly ExperimentReport[]
  gate: GateDecision | null
  createdAt?: Date
}): RunSummary {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    createdAt: (args.createdAt ?? new Date()).toISOString(),
    experiments: args.reports.map((report) => ({
      experiment: report.experiment,
      file: report.file,
      counts: report.counts,
      variants: report.variants.map((v) => ({
        name: v.name,
        mean: v.summary?.mean ?? null,
        verdict: v.verdict?.kind ?? (v.role === 'baseline' ? 'baseline' : null),
        pAdjusted: v.pAdjusted,
      })),
    })),
    gate: args.gate,
  }
}

/**
 * Writes `<dir>/<experiment>.json` and `.md` per experiment and `<dir>/summary.json`, each
 * atomically, and appends the markdown to `GITHUB_STEP_SUMMARY` if set. Returns the paths written.
 */
export async function writeReportFiles(args: {
  reports: readonly ExperimentReport[]
  gate: GateDecision | null
  dir: string
  env?: NodeJS.ProcessEnv
}): Promise<string[]> {
  const written: string[] = []
  for (const report of args.reports) {
    const base = join(args.dir, slugify(report.experiment))
    written.push(await writeAtomic(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`))
    written.push(await writeAtomic(`${base}.md`, renderMarkdownReport(report)))
  }
  const summary = summarizeRun({ reports: args.reports, gate: args.gate })
  written.push(
    await writeAtomic(join(args.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`),
  )

  const stepSummary = (args.env ?? process.env).GITHUB_STEP_SUMMARY
  if (stepSummary) {
    await appendFile(stepSummary, renderStepSummary(args.reports, args.gate), 'utf8')
    written.push(stepSummary)
  }
  return written
}

/** The GitHub Actions job summary: every experiment's markdown and the gate's decision. */
export function renderStepSummary(
  reports: readonly ExperimentReport[],
  gate: GateDecision | null,
): string {
  const parts = ['# ablate results', ...reports.map(renderMarkdownReport)]
  if (gate) parts.push(describeGateDecision(gate))
  return `${parts.join('\n\n')}\n`
}

function describeGateDecision(gate: GateDecision): string {
  if (!gate.failed) return '**Regression gate: passed.**'
  const lines = ['**Regression gate: FAILED.**']
  for (const key of gate.regressed) lines.push(`- regressed: ${key}`)
  for (const name of gate.refused) lines.push(`- refused (environment differs): ${name}`)
  return lines.join('\n')
}

async function writeAtomic(path: string, text: string): Promise<string> {
  await writeFileAtomic({ path, data: text })
  return path
}
