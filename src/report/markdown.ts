import { classMixTable } from './class-mix.js'
import {
  formatDuration,
  formatInterval,
  formatPValue,
  formatSigned,
  formatValue,
} from './format.js'
import { describeOptions, isSignificant, verdictHeaders, verdictRows } from './rows.js'
import type { ExperimentReport } from './types.js'

/** `reports/<experiment>.md`: verdict table, per-seed values, environment and rerun commands. */
export function renderMarkdownReport(report: ExperimentReport): string {
  const where = `${report.file}${report.line === null ? '' : `:${report.line}`}`
  const sections = [
    `## ${report.experiment}`,
    `\`${where}\` · ${describeOptions(report)}`,
    report.description ?? '',
    markdownTable(verdictHeaders(report), verdictRows(report), [0, 9]),
    describeRuns(report),
    ...problemLines(report),
    ...rerunLines(report),
    '### Per-seed values',
    perSeedTable(report),
    ...classMixSection(report),
    ...gateSection(report),
    describeEnvironment(report),
  ]
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`
}

/** A GitHub-flavoured markdown table; pipes inside cells are escaped. */
export function markdownTable(
  headers: readonly string[],
  rows: readonly string[][],
  /** Default [0]: columns of words, aligned left; the others hold numbers and align right. */
  leftColumns: readonly number[] = [0],
): string {
  const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|')
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`
  const align = headers.map((_, i) => (leftColumns.includes(i) ? ' --- ' : ' ---: '))
  const rule = `|${align.join('|')}|`
  return [line(headers), rule, ...rows.map(line)].join('\n')
}

function describeRuns(report: ExperimentReport): string {
  const { passed, cached, failed } = report.counts
  return `Runs: ${passed} run now, ${cached} cached, ${failed} failed · wall ${formatDuration(report.wallTimeMs)}. ±95% CI is the half-width of the mean's 95% t-interval; Holm p is corrected over the experiment's variants; MDE is the difference detectable with 80% power.`
}

function problemLines(report: ExperimentReport): string[] {
  const lines: string[] = []
  if (!report.reachability.reachable)
    lines.push(`> **Unreachable:** ${report.reachability.message}`)
  for (const warning of report.warnings) lines.push(`> **Warning:** ${warning}`)
  for (const variant of report.variants) {
    for (const note of variant.notes) lines.push(`> **Note:** ${variant.name}: ${note}`)
    for (const run of variant.runs) {
      if (run.state === 'failed') {
        lines.push(
          `> **Failed:** ${variant.name} seed ${run.seed}: ${run.error.message.split('\n')[0]}`,
        )
      }
    }
  }
  return lines
}

function rerunLines(report: ExperimentReport): string[] {
  const significant = report.variants.filter(isSignificant)
  if (significant.length === 0) return []
  return [significant.map((v) => `- ${v.name} (${v.verdict?.label}): \`${v.rerun}\``).join('\n')]
}

function perSeedTable(report: ExperimentReport): string {
  const headers = ['variant', ...report.options.seeds.map((seed) => `seed ${seed}`)]
  const rows = report.variants.map((variant) => [
    variant.name,
    ...report.options.seeds.map((seed) => {
      const run = variant.runs.find((r) => r.seed === seed)
      if (!run) return ''
      return run.state === 'failed' ? 'failed' : formatValue(run.value)
    }),
  ])
  return markdownTable(headers, rows)
}

function classMixSection(report: ExperimentReport): string[] {
  const table = classMixTable(report.variants)
  if (table === null) return []
  return [
    '### Class mix seen in training',
    'Share of the images drawn per class over all epochs (balancing included), mean over runs; the last rows count the images of the training and validation splits.',
    markdownTable(table.headers, table.rows),
  ]
}

function gateSection(report: ExperimentReport): string[] {
  const gate = report.gate
  if (!gate) return []
  if (gate.state === 'refused') {
    return [
      '### Regression gate',
      `Refused: the environment differs from \`${gate.baselineFile}\` in ${gate.environmentMismatch.join(', ')}.`,
    ]
  }
  const rows = gate.rows.map((row) => [
    row.variant,
    formatSigned(row.comparison.diff),
    formatInterval(row.comparison.ci95),
    formatPValue(row.pAdjusted),
    row.regressed ? `**regressed** (${row.verdict.label})` : row.verdict.label,
  ])
  return [
    '### Regression gate',
    `Against \`${gate.baselineFile}\`, Holm over every gated comparison of the run.`,
    markdownTable(['variant', 'diff vs saved', '95% CI', 'Holm p', 'verdict'], rows, [0, 4]),
  ]
}

function describeEnvironment(report: ExperimentReport): string {
  const e = report.environment
  return `Environment: ablate ${e.ablateVersion} · backend ${e.backend ?? 'none'} · tfjs ${e.tfjsVersion ?? 'none'} · ${e.cpuModel} x${e.cpuCount} · GPU ${e.gpu ?? 'none'} · Node ${e.node} · ${e.platform}/${e.arch}`
}
