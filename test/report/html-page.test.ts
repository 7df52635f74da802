import { describe, expect, test } from 'vitest'
import { renderHtmlReport } from '../../src/report/html.js'
import { renderPage } from '../../src/report/html-page.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { buildSampleReport, buildSampleReports, seedValues, withSampleGate } from './html-sample.js'

const report = buildSampleReport({
  experiment: 'page',
  arms: [
    { name: 'base', values: seedValues(0.8) },
    { name: 'worse one', values: seedValues(0.75) },
    { name: 'same', values: seedValues(0.8005, 0.011) },
  ],
})

describe('experiment description', () => {
  test('is shown, escaped, under the heading', async () => {
    const [sample] = buildSampleReports()
    const report = { ...(sample as ExperimentReport), description: 'random <init>' }
    const html = await renderHtmlReport([report])
    expect(html).toContain('<p class="description">random &lt;init&gt;</p>')
  })
})

describe('page shell', () => {
  test('forbids every external load and carries no script', () => {
    const html = renderPage({ reports: [report], sections: [] })
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html).not.toMatch(/<script|<link|@import|url\(/)
  })

  test('says when no experiment ran', async () => {
    const html = await renderHtmlReport([])
    expect(html).toContain('No experiments ran')
    expect(html).not.toContain('<section')
  })

  test('says when there was no gate', () => {
    const html = renderPage({ reports: [report], sections: [] })
    expect(html).toContain('Regression gate: no committed baselines.')
  })

  test('reports a failed gate at the top and per experiment', () => {
    const gated = withSampleGate(report)
    const regressed = gated.gate!.rows.filter((row) => row.regressed).length
    expect(regressed).toBeGreaterThan(0)

    const html = renderPage({ reports: [gated], sections: [] })

    expect(html).toContain('Regression gate: <span class="verdict verdict-worse">FAILED</span>')
    expect(html).toContain(`gate: ${regressed} regressed`)
  })

  test('reports a refused gate as a failure', () => {
    const gated = withSampleGate(report)
    const refused = { ...gated, gate: { ...gated.gate!, state: 'refused' as const, rows: [] } }
    const html = renderPage({ reports: [refused], sections: [] })
    expect(html).toContain('FAILED')
    expect(html).toContain('gate refused')
  })

  test('reports a passed gate when nothing regressed', () => {
    const gated = withSampleGate(report)
    const rows = gated.gate!.rows.map((row) => ({ ...row, regressed: false }))
    const html = renderPage({
      reports: [{ ...gated, gate: { ...gated.gate!, rows } }],
      sections: [],
    })
    expect(html).toContain('verdict-better">passed</span>')
    expect(html).toContain('gate ok')
  })
})
