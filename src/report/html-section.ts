/**
 * One experiment's section of the HTML report: heading, options, warnings, the per-seed plot, the
 * verdict table, notes and failures, the regression gate, rerun commands and the environment.
 */

import { escapeHtml, toHtmlId } from './html-escape.js'
import { formatDurationMs } from './html-format.js'
import { renderSeedPlot, type SeedPlotArm, type SeedPlotInput } from './html-plot.js'
import { renderClassMixTable, renderGateTable, renderVerdictTable } from './html-table.js'
import type { EnvironmentFingerprint, ExperimentReport, VariantReport } from './types.js'

const PLOT_CAPTION =
  '<figcaption>Points: one per finished seed. Bar and tick: mean with its 95% CI. Dashed line ' +
  "and grey band: the baseline's mean and 95% CI. Colour: the verdict against the baseline." +
  '</figcaption>'

/** The section's anchor id, shared with the table of contents. */
export function sectionId(report: ExperimentReport, index: number): string {
  return toHtmlId({ prefix: 'exp', text: report.experiment, index })
}

/** Renders one experiment as an HTML `<section>` with its SVG plot inlined. */
export async function renderExperimentSection(args: {
  report: ExperimentReport
  index: number
}): Promise<string> {
  const { report } = args
  const svg = await renderSeedPlot(toSeedPlotInput(report))

  return [
    `<section class="experiment" id="${sectionId(report, args.index)}">`,
    renderHeading(report),
    renderWarnings(report),
    `<figure class="plot">${svg}\n${PLOT_CAPTION}</figure>`,
    renderVerdictTable(report),
    renderNotes(report.variants),
    renderClassMixTable(report.variants),
    report.gate === undefined ? '' : `<h3>Regression gate</h3>\n${renderGateTable(report.gate)}`,
    renderReruns(report.variants),
    renderEnvironment(report.environment),
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n')
}

/** Maps the report onto the plot's rows: finished runs as points, summaries as mean and CI. */
export function toSeedPlotInput(report: ExperimentReport): SeedPlotInput {
  const arms = report.variants.map((variant): SeedPlotArm => {
    const points = variant.runs.flatMap((run) =>
      run.state === 'failed' ? [] : [{ seed: run.seed, value: run.value }],
    )
    return {
      name: variant.name,
      group: variant.role === 'baseline' ? 'baseline' : (variant.verdict?.kind ?? 'none'),
      points,
      mean: variant.summary?.mean ?? Number.NaN,
      ci95: variant.summary?.ci95 ?? [Number.NaN, Number.NaN],
    }
  })
  return { metric: report.options.metric, direction: report.options.direction, arms }
}

function renderHeading(report: ExperimentReport): string {
  const { options, counts } = report
  const where = report.line === null ? report.file : `${report.file}:${report.line}`
  // Typed fields are escaped too: a report may have been read back from a JSON file.
  const facts = [
    `metric <b>${escapeHtml(options.metric)}</b> (${escapeHtml(options.direction)} is better)`,
    escapeHtml(`test ${options.test}, α = ${options.alpha}, Holm over variants`),
    escapeHtml(`rope ± ${options.rope}`),
    escapeHtml(`${options.repetitions} seeds`),
    escapeHtml(`runs: ${counts.passed} new, ${counts.cached} cached, ${counts.failed} failed`),
    `wall time ${formatDurationMs(report.wallTimeMs)}`,
  ]
  return [
    `<h2>${escapeHtml(report.experiment)}</h2>`,
    `<p class="source"><code>${escapeHtml(where)}</code></p>`,
    `<p class="facts">${facts.join(' · ')}</p>`,
    report.description === undefined
      ? ''
      : `<p class="description">${escapeHtml(report.description)}</p>`,
  ]
    .filter((part) => part !== '')
    .join('\n')
}

function renderWarnings(report: ExperimentReport): string {
  const messages = [...report.warnings]
  if (!report.reachability.reachable) messages.unshift(report.reachability.message)
  if (messages.length === 0) return ''
  const items = messages.map((message) => `<li>${escapeHtml(message)}</li>`).join('')
  return `<ul class="warning">${items}</ul>`
}

/** Per-variant notes and the error of every failed run, naming variant and seed. */
function renderNotes(variants: readonly VariantReport[]): string {
  const items = variants.flatMap((variant) => {
    const name = `<b>${escapeHtml(variant.name)}</b>`
    const notes = variant.notes.map((note) => `<li>${name}: ${escapeHtml(note)}</li>`)
    const failures = variant.runs.flatMap((run) => {
      if (run.state !== 'failed') return []
      const error = escapeHtml(run.error.message)
      return [`<li>${name}, seed ${run.seed}: <span class="failed">failed</span> ${error}</li>`]
    })
    return [...notes, ...failures]
  })
  return items.length === 0 ? '' : `<ul class="notes">${items.join('')}</ul>`
}

function renderReruns(variants: readonly VariantReport[]): string {
  const items = variants.map(
    (variant) => `<li>${escapeHtml(variant.name)}: <code>${escapeHtml(variant.rerun)}</code></li>`,
  )
  return `<details><summary>Rerun commands</summary><ul>${items.join('')}</ul></details>`
}

function renderEnvironment(environment: EnvironmentFingerprint): string {
  const rows = Object.entries(environment).map(([key, value]) => {
    const text = escapeHtml(String(value ?? '–'))
    return `<tr><th scope="row">${escapeHtml(key)}</th><td>${text}</td></tr>`
  })
  const summary = `<summary>Environment: ${escapeHtml(describeEnvironment(environment))}</summary>`
  return `<details>${summary}<table class="env">${rows.join('')}</table></details>`
}

/** One line, e.g. `wasm · tfjs 4.22.0 · node v20.19.0 · linux x64 · 2 × Intel Xeon`. */
export function describeEnvironment(environment: EnvironmentFingerprint): string {
  const parts = [
    environment.backend ?? 'no tfjs backend',
    environment.tfjsVersion === null ? '' : `tfjs ${environment.tfjsVersion}`,
    `node ${environment.node}`,
    `${environment.platform} ${environment.arch}`,
    `${environment.cpuCount} × ${environment.cpuModel}`,
    environment.gpu ?? '',
    `ablate ${environment.ablateVersion}`,
  ]
  return parts.filter((part) => part !== '').join(' · ')
}
