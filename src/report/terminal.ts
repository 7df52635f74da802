import { describeClassMix } from './class-mix.js'
import { formatDuration, formatInterval, formatPValue, formatSigned } from './format.js'
import { describeOptions, isSignificant, verdictHeaders, verdictRows } from './rows.js'
import { type Column, layoutTable } from './table.js'
import type { ExperimentReport } from './types.js'

const COLUMN_ALIGN: Column['align'][] = [
  'left',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'right',
  'left',
]

/** The terminal block of an experiment: header, verdict table, counts, warnings, rerun commands. */
export function renderTerminalReport(report: ExperimentReport): string {
  const columns = verdictHeaders(report).map((header, i) => ({
    header,
    align: COLUMN_ALIGN[i] ?? 'left',
  }))
  const lines = [
    `${report.experiment}  ${report.file}${report.line === null ? '' : `:${report.line}`}`,
    describeOptions(report),
    ...(report.description === undefined ? [] : [report.description]),
    '',
    ...layoutTable({ columns, rows: verdictRows(report) }).map((line) => `  ${line}`),
    '',
    describeCounts(report),
    legend(report),
    ...describeClassMix(report.variants),
    ...describeProblems(report),
    ...describeSignificant(report),
  ]
  return `${lines.join('\n')}\n`
}

function describeCounts(report: ExperimentReport): string {
  const { passed, cached, failed } = report.counts
  const env = report.environment
  const backend = env.backend
    ? ` · backend ${env.backend}${env.tfjsVersion ? ` (tfjs ${env.tfjsVersion})` : ''}`
    : ''
  return `runs: ${passed + cached + failed} (${passed} run now, ${cached} cached, ${failed} failed) · wall ${formatDuration(report.wallTimeMs)}${backend}`
}

function legend(report: ExperimentReport): string {
  const pairing = ['paired-t', 'sign-flip', 'wilcoxon'].includes(report.options.test)
    ? 'over seeds matched across variants'
    : 'unpaired'
  return `±95% CI: half-width of the mean's 95% t-interval · p: ${report.options.test} ${pairing} · Holm p: corrected over the variants · MDE: difference detectable with 80% power`
}

function describeProblems(report: ExperimentReport): string[] {
  const lines: string[] = []
  if (!report.reachability.reachable) lines.push(`! ${report.reachability.message}`)
  for (const warning of report.warnings) lines.push(`! ${warning}`)
  for (const variant of report.variants) {
    for (const note of variant.notes) lines.push(`note: ${variant.name}: ${note}`)
    for (const run of variant.runs) {
      if (run.state !== 'failed') continue
      lines.push(`x failed: ${variant.name} seed ${run.seed}: ${firstLine(run.error.message)}`)
    }
  }
  return lines
}

function describeSignificant(report: ExperimentReport): string[] {
  const significant = report.variants.filter(isSignificant)
  if (significant.length === 0) return []
  return [
    'rerun significant lines:',
    ...significant.map((v) => `  ${v.name} (${v.verdict?.label}): ${v.rerun}`),
  ]
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? ''
}

/** The regression gate's lines at the end of a bench run; none when no baseline was compared. */
export function renderGateSummary(reports: readonly ExperimentReport[]): string {
  const gated = reports.filter((r) => r.gate !== undefined)
  if (gated.length === 0) return ''
  const lines = ['regression gate (current runs vs committed baselines, Holm over all rows):']
  for (const report of gated) lines.push(...gateLines(report))
  return `${lines.join('\n')}\n`
}

function gateLines(report: ExperimentReport): string[] {
  const gate = report.gate
  if (!gate) return []
  if (gate.state === 'refused') {
    return [
      `  REFUSED ${report.experiment}: environment differs from ${gate.baselineFile} in ${gate.environmentMismatch.join(', ')}; rerun \`npm run baseline:save\` on this machine or set ABLATE_GATE_ENV=ignore`,
    ]
  }
  const flagged =
    gate.environmentMismatch.length > 0
      ? [
          `  ! ${report.experiment}: compared despite environment differences in ${gate.environmentMismatch.join(', ')} (ABLATE_GATE_ENV=ignore)`,
        ]
      : []
  return [
    ...flagged,
    ...gate.rows.map((row) => {
      const mark = row.regressed ? 'REGRESSED' : 'ok'
      return `  ${mark.padEnd(9)} ${row.key}: diff ${formatSigned(row.comparison.diff)} ${formatInterval(row.comparison.ci95)} · Holm p ${formatPValue(row.pAdjusted)} · ${row.verdict.label}`
    }),
  ]
}
