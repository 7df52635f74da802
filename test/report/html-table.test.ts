import { describe, expect, test } from 'vitest'
import { renderGateTable, renderVerdictTable } from '../../src/report/html-table.js'
import type { GateReport } from '../../src/report/types.js'
import { buildSampleReport, seedValues } from './html-sample.js'
import { SAMPLE_ENVIRONMENT } from './sample-study.js'

const REPORT = buildSampleReport({
  experiment: 'tables',
  arms: [
    { name: 'base', values: seedValues(0.8) },
    { name: 'better one', values: seedValues(0.84), config: { dropout: 0.5 } },
    { name: 'one failed', values: [0.8, 0.81, null, 0.8, 0.79, 0.81] },
  ],
})

/** The `<tr>` of the row whose header cell starts with `name`. */
function rowOf(html: string, name: string): string {
  const start = html.indexOf(`<th scope="row">${name}`)
  expect(start).toBeGreaterThan(-1)
  return html.slice(start, html.indexOf('</tr>', start))
}

describe('verdict table', () => {
  const html = renderVerdictTable(REPORT)

  test('has one body row per arm, the baseline first and marked as the reference', () => {
    expect(html.match(/<tr class="role-/g)).toHaveLength(3)
    expect(html.indexOf('role-baseline')).toBeLessThan(html.indexOf('role-variant'))
    expect(rowOf(html, 'base')).toContain('reference')
  })

  test('shows mean ± CI, diff, p, Holm p and the verdict label computed by the statistics', () => {
    const variant = REPORT.variants[1]!
    const row = rowOf(html, 'better one')
    expect(row).toContain(variant.summary!.mean.toFixed(3))
    expect(row).toContain(`+${variant.comparison!.diff.toFixed(3)}`)
    expect(row).toContain(variant.verdict!.label)
    expect(row).toContain(`verdict-${variant.verdict!.kind}`)
  })

  test('says what each variant changes in the config, and nothing for the baseline', () => {
    const row = rowOf(html, 'better one')
    expect(row).toContain('<span title="dropout: 0 (baseline) → 0.5">dropout = 0.5</span>')
    expect(rowOf(html, 'base')).not.toContain('changes')
  })

  test('counts a failed run apart from the finished ones', () => {
    expect(rowOf(html, 'one failed')).toMatch(/5 of 6.*2 cached.*1 failed/)
  })
})

describe('gate table', () => {
  const variant = REPORT.variants[1]!
  const compared: GateReport = {
    baselineFile: 'baselines/tables.json',
    environment: SAMPLE_ENVIRONMENT,
    environmentMismatch: [],
    state: 'compared',
    rows: [
      {
        key: 'tables > better one',
        variant: 'better one',
        comparison: variant.comparison!,
        pAdjusted: 0.003,
        verdict: { kind: 'worse', label: 'significantly worse' },
        regressed: true,
      },
    ],
  }

  test('lists each gated row with its Holm p and marks regressions', () => {
    const html = renderGateTable(compared)
    expect(html).toContain('baselines/tables.json')
    expect(rowOf(html, 'better one')).toContain('0.003')
    expect(rowOf(html, 'better one')).toContain('regressed')
    expect(html).not.toContain('warning')
  })

  test('says why it refused, naming the differing fields', () => {
    const mismatch = ['backend (wasm -> tensorflow)']
    const html = renderGateTable({ ...compared, state: 'refused', environmentMismatch: mismatch })
    expect(html).toContain('Gate refused')
    expect(html).toContain('backend (wasm -&gt; tensorflow)')
    expect(html).not.toContain('<table')
  })

  test('warns when it compared across a different environment (ABLATE_GATE_ENV=ignore)', () => {
    const html = renderGateTable({ ...compared, environmentMismatch: ['gpu (null -> A100)'] })
    expect(html).toContain('Compared although the environment differs')
    expect(html).toContain('<table')
  })
})
