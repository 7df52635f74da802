/**
 * The document shell of the HTML report: head with inline CSS and a Content-Security-Policy that
 * forbids every external load (so the page provably works offline), the overview and the sections.
 */

import { escapeHtml } from './html-escape.js'
import { formatDurationMs } from './html-format.js'
import { GROUP_COLORS } from './html-plot.js'
import { sectionId } from './html-section.js'
import type { ExperimentReport } from './types.js'

/** Blocks scripts, fonts, images and fetches from anywhere; only the inline style applies. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

const CSS = `
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1a1a1a;
  max-width: 1200px; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin: 0 0 0.2rem; }
h3 { font-size: 1.05rem; }
section.experiment { border-top: 2px solid #ddd; padding-top: 1.2rem; margin-top: 2rem; }
.source { margin: 0; color: #555; }
.facts, .muted { color: #555; }
.facts { font-size: 0.92rem; }
code { font: 0.88em ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; }
figure.plot { margin: 1rem 0; overflow-x: auto; }
figure.plot svg { max-width: 100%; height: auto; }
figcaption { font-size: 0.85rem; color: #555; margin-top: 0.3rem; }
table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.92rem; }
.table-wrap { overflow-x: auto; }
table.verdicts { width: 100%; }
.nowrap { white-space: nowrap; }
th, td { padding: 0.3rem 0.5rem; border-bottom: 1px solid #e3e3e3; text-align: left;
  vertical-align: top; }
thead th { border-bottom: 2px solid #bbb; white-space: nowrap; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.role-baseline { background: #f6f6f6; }
.changes { font-weight: normal; font-size: 0.8rem; color: #555; margin-top: 0.15rem;
  white-space: nowrap; }
.changes, .changes * { font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; }
.badge { font-size: 0.75rem; font-weight: normal; border: 1px solid #999; border-radius: 3px;
  padding: 0 0.3rem; color: #555; }
.verdict { font-weight: 600; }
.failed { color: #b00020; font-weight: 600; }
.warning { background: #fff6e0; border-left: 4px solid #e0a000;
  padding: 0.5rem 0.8rem 0.5rem 2rem; }
.notes { font-size: 0.9rem; color: #333; }
details { margin: 0.4rem 0; font-size: 0.9rem; }
summary { cursor: pointer; color: #333; }
${verdictColorRules()}
`

function verdictColorRules(): string {
  return Object.entries(GROUP_COLORS)
    .map(([group, color]) => `.verdict-${group} { color: ${color}; }`)
    .join('\n')
}

/** The verdict words, as the statistics define them, for readers new to the page. */
const HOW_TO_READ = `<details class="how-to-read"><summary>How to read the verdicts</summary><ul>
<li><b>significantly better / worse</b>: Holm-corrected p &lt; α and the 95% CI of the difference
clears the rope (the smallest effect that matters).</li>
<li><b>significant but negligible</b>: Holm-corrected p &lt; α, but the CI does not clear the rope.</li>
<li><b>equivalent</b>: the CI of the difference lies inside ±rope.</li>
<li><b>no statistically significant difference</b> (inconclusive): neither; more seeds may decide.</li>
<li><b>MDE (80%)</b>: the smallest difference these seeds would detect 4 times in 5.</li>
</ul></details>`

/** Wraps rendered sections in a complete, self-contained HTML document. */
export function renderPage(args: {
  reports: readonly ExperimentReport[]
  sections: string[]
}): string {
  const body =
    args.reports.length === 0
      ? '<p>No experiments ran: there is nothing to report.</p>'
      : [renderOverview(args.reports), HOW_TO_READ, ...args.sections].join('\n')
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>ablate report</title>',
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<h1>ablate report</h1>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** Run time, totals and one linked line per experiment with its verdict counts. */
function renderOverview(reports: readonly ExperimentReport[]): string {
  const latest =
    reports
      .map((report) => report.createdAt)
      .sort()
      .at(-1) ?? ''
  const wallMs = reports.reduce((sum, report) => sum + report.wallTimeMs, 0)
  const items = reports.map((report, index) => {
    const link = `<a href="#${sectionId(report, index)}">${escapeHtml(report.experiment)}</a>`
    const gate = describeGate(report)
    return `<li>${link}: ${escapeHtml(countVerdicts(report))}${gate}</li>`
  })
  return [
    `<p class="facts">Built ${escapeHtml(latest)} · ${reports.length} experiments · wall time ` +
      `${formatDurationMs(wallMs)}</p>`,
    renderGateStatus(reports),
    `<ul class="overview">${items.join('')}</ul>`,
  ].join('\n')
}

/** The regression gate over the whole run: failed when any row regressed or any gate refused. */
function renderGateStatus(reports: readonly ExperimentReport[]): string {
  const gates = reports.flatMap((report) => (report.gate === undefined ? [] : [report.gate]))
  if (gates.length === 0) return '<p class="facts">Regression gate: no committed baselines.</p>'
  const failed = gates.some((g) => g.state === 'refused' || g.rows.some((row) => row.regressed))
  const status = failed
    ? '<span class="verdict verdict-worse">FAILED</span>'
    : '<span class="verdict verdict-better">passed</span>'
  return `<p>Regression gate: ${status}</p>`
}

/** e.g. ` · gate: 2 regressed` or ` · gate refused`; empty without a gate. */
function describeGate(report: ExperimentReport): string {
  const gate = report.gate
  if (gate === undefined) return ''
  if (gate.state === 'refused') return ' · <span class="failed">gate refused</span>'
  const regressed = gate.rows.filter((row) => row.regressed).length
  if (regressed === 0) return ' · gate ok'
  return ` · <span class="failed">gate: ${regressed} regressed</span>`
}

/** e.g. `2 better, 1 inconclusive; 1 run failed`. */
function countVerdicts(report: ExperimentReport): string {
  const counts = new Map<string, number>()
  for (const variant of report.variants) {
    if (variant.role === 'baseline') continue
    const kind = variant.verdict?.kind ?? 'no verdict'
    counts.set(kind, (counts.get(kind) ?? 0) + 1)
  }
  const verdicts = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ')
  const failed = report.counts.failed
  const failures = failed === 0 ? '' : `; ${failed} run${failed === 1 ? '' : 's'} failed`
  return `${verdicts === '' ? 'no variants' : verdicts}${failures}`
}
