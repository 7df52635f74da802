/**
 * The tables of the HTML report: the verdict table of one experiment and its regression-gate table.
 * Every piece of user text passes through `escapeHtml`; numbers are formatted by html-format.
 */

import type { Verdict } from '../stats/types.js'
import { classMixTable } from './class-mix.js'
import { diffConfigs } from './html-config.js'
import { escapeHtml } from './html-escape.js'
import { formatInterval, formatMeanCi, formatP, formatSigned, formatValue } from './html-format.js'
import type { ExperimentReport, GateReport, VariantReport } from './types.js'

const VERDICT_HEADERS = [
  'variant',
  'runs',
  'mean ± 95% CI',
  'diff vs baseline [95% CI]',
  'p',
  'Holm p',
  'effect',
  'MDE (80%)',
  'verdict',
]

/** The verdict table: one row per arm (baseline first), with counts, statistics and the verdict. */
export function renderVerdictTable(report: ExperimentReport): string {
  const head = VERDICT_HEADERS.map((text) => `<th scope="col">${escapeHtml(text)}</th>`).join('')
  const base = report.variants.find((variant) => variant.role === 'baseline')
  const rows = report.variants
    .map((variant) => renderVerdictRow({ variant, baselineConfig: base?.config ?? {} }))
    .join('\n')
  return [
    '<div class="table-wrap"><table class="verdicts">',
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>\n${rows}\n</tbody>`,
    '</table></div>',
  ].join('\n')
}

function renderVerdictRow(args: {
  variant: VariantReport
  baselineConfig: Record<string, unknown>
}): string {
  const { variant } = args
  const summary = variant.summary
  const comparison = variant.comparison
  const cells = [
    `<th scope="row">${renderVariantName(variant)}${renderChanges(args)}</th>`,
    td(renderCounts(variant)),
    td(summary === null ? '–' : escapeHtml(formatMeanCi(summary.mean, summary.ci95)), 'num'),
    td(comparison === null ? '–' : escapeHtml(renderDiff(comparison)), 'num'),
    td(comparison === null ? '–' : escapeHtml(formatP(comparison.p)), 'num'),
    td(variant.pAdjusted === null ? '–' : escapeHtml(formatP(variant.pAdjusted)), 'num'),
    td(comparison === null ? '–' : escapeHtml(renderEffect(comparison.effectSize)), 'num'),
    td(variant.mde === null ? '–' : escapeHtml(formatValue(variant.mde)), 'num'),
    td(renderVerdict(variant)),
  ]
  return `<tr class="role-${escapeHtml(variant.role)}">${cells.join('')}</tr>`
}

function td(html: string, className?: string): string {
  return className === undefined ? `<td>${html}</td>` : `<td class="${className}">${html}</td>`
}

function renderVariantName(variant: VariantReport): string {
  const badge = variant.role === 'baseline' ? ' <span class="badge">baseline</span>' : ''
  return `${escapeHtml(variant.name)}${badge}`
}

const MAX_CHANGES_SHOWN = 4

/**
 * What the variant changes in the config, e.g. `dropout = 0.5` (the baseline's value in the
 * tooltip); nothing for the baseline.
 */
function renderChanges(args: { variant: VariantReport; baselineConfig: Record<string, unknown> }) {
  if (args.variant.role === 'baseline') return ''
  const changes = diffConfigs({ baseline: args.baselineConfig, variant: args.variant.config })
  if (changes.length === 0) return ''

  const shown = changes.slice(0, MAX_CHANGES_SHOWN).map((change) => {
    const title = escapeHtml(`${change.path}: ${change.before} (baseline) → ${change.after}`)
    return `<span title="${title}">${escapeHtml(`${change.path} = ${change.after}`)}</span>`
  })
  const more = changes.length - shown.length
  if (more > 0) shown.push(`<span>+${more} more</span>`)
  return `<div class="changes">${shown.join('<br>')}</div>`
}

/** e.g. `6` or `5 of 6`, then `2 cached` and `1 failed` lines: only finished runs count. */
function renderCounts(variant: VariantReport): string {
  const { passed, cached, failed } = variant.counts
  const finished = passed + cached
  const runs = failed > 0 ? `${finished} of ${finished + failed}` : `${finished}`
  const parts = [`<span class="nowrap">${runs}</span>`]
  if (cached > 0) parts.push(`<span class="muted nowrap">${cached} cached</span>`)
  if (failed > 0) parts.push(`<span class="failed nowrap">${failed} failed</span>`)
  return parts.join('<br>')
}

function renderDiff(comparison: NonNullable<VariantReport['comparison']>): string {
  return `${formatSigned(comparison.diff)} ${formatInterval(comparison.ci95)}`
}

function renderEffect(effect: { name: string; value: number }): string {
  return `${effect.name === 'dz' ? 'dz' : 'g'} ${formatSigned(effect.value, 2)}`
}

function renderVerdict(variant: VariantReport): string {
  if (variant.role === 'baseline') return '<span class="muted">reference</span>'
  if (variant.verdict === null) return '<span class="verdict verdict-none">no verdict</span>'
  return renderVerdictBadge(variant.verdict)
}

/** A verdict's label in a span classed by its kind (escaped too: reports may come from JSON). */
function renderVerdictBadge(verdict: Verdict): string {
  const kind = escapeHtml(verdict.kind)
  return `<span class="verdict verdict-${kind}">${escapeHtml(verdict.label)}</span>`
}

/** The regression-gate table of one experiment, or a notice when the gate refused to compare. */
export function renderGateTable(gate: GateReport): string {
  const source = `<p>Compared with <code>${escapeHtml(gate.baselineFile)}</code>.</p>`
  const fields = gate.environmentMismatch.map((field) => `<code>${escapeHtml(field)}</code>`)
  const differs = `the environment differs in ${fields.join(', ')}`
  if (gate.state === 'refused') return `${source}\n<p class="warning">Gate refused: ${differs}.</p>`

  const mismatch = fields.length === 0 ? '' : `<p class="warning">Compared although ${differs}.</p>`
  const head = GATE_HEADERS.map((text) => `<th scope="col">${text}</th>`).join('')
  const rows = gate.rows.map(renderGateRow).join('\n')
  const table = `<table class="gate"><thead><tr>${head}</tr></thead>\n<tbody>${rows}</tbody>`
  return [source, mismatch, `${table}</table>`].filter((part) => part !== '').join('\n')
}

const GATE_HEADERS = ['variant', 'diff vs committed [95% CI]', 'Holm p', 'verdict', 'gate']

function renderGateRow(row: GateReport['rows'][number]): string {
  const status = row.regressed
    ? '<span class="verdict verdict-worse">regressed</span>'
    : '<span class="muted">ok</span>'
  return [
    `<tr><th scope="row">${escapeHtml(row.variant)}</th>`,
    td(escapeHtml(renderDiff(row.comparison)), 'num'),
    td(escapeHtml(formatP(row.pAdjusted)), 'num'),
    td(renderVerdictBadge(row.verdict)),
    `${td(status)}</tr>`,
  ].join('')
}

/**
 * The class mix seen in training (share of images drawn per class, validation counts last), in a
 * collapsed `<details>`; empty when the runs report no class counts.
 */
export function renderClassMixTable(variants: readonly VariantReport[]): string {
  const table = classMixTable(variants)
  if (table === null) return ''
  const head = table.headers.map((text) => `<th scope="col">${escapeHtml(text)}</th>`).join('')
  const rows = table.rows.map(([name, ...cells]) => {
    const tds = cells.map((cell) => td(escapeHtml(cell), 'num')).join('')
    return `<tr><th scope="row">${escapeHtml(name ?? '')}</th>${tds}</tr>`
  })
  return [
    '<details class="class-mix"><summary>Class mix seen in training</summary>',
    '<p>Share of the images drawn per class over all epochs (balancing included), mean over runs; the last row counts the validation split.</p>',
    `<table class="class-mix"><thead><tr>${head}</tr></thead>\n<tbody>${rows.join('\n')}</tbody></table>`,
    '</details>',
  ].join('\n')
}
