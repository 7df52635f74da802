import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { renderHtmlReport } from '../../src/report/html.js'
import { escapeHtml, toHtmlId } from '../../src/report/html-escape.js'
import { buildSampleReport, seedValues } from './html-sample.js'

/** Inverse of escapeHtml for the five entities it writes (test oracle). */
function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&')
}

/** Any text, with the characters that matter to HTML drawn often enough to be tested. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('&', '<', '>', '"', "'", ';', '#', 'a', 'l', 't', ' ', 'é') }),
)

describe('escapeHtml', () => {
  test('leaves no character that can open a tag, end an attribute or start a stray entity', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const escaped = escapeHtml(text)
        expect(escaped).not.toMatch(/[<>"']/)
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&')
      }),
    )
  })

  test('round-trips: unescaping gives back the input, whatever it holds', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(decodeEntities(escapeHtml(text))).toBe(text)
      }),
    )
  })

  test('escapes a classic payload character by character', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    )
  })
})

describe('toHtmlId', () => {
  test('gives a valid id starting with the prefix, distinct per index', () => {
    fc.assert(
      fc.property(fc.string(), fc.nat(1000), (text, index) => {
        const id = toHtmlId({ prefix: 'exp', text, index })
        expect(id).toMatch(/^exp-[0-9]+(-[a-z0-9_-]+)?$/)
        expect(id).not.toBe(toHtmlId({ prefix: 'exp', text, index: index + 1 }))
      }),
    )
  })
})

describe('renderHtmlReport escapes every piece of user text', () => {
  const payload = '<script>alert(1)</script>'
  const attrPayload = '"><img src=x onerror=alert(1)>'

  test('names, notes, warnings, errors, environment and rerun commands stay inert', async () => {
    const report = buildSampleReport({
      experiment: `exp ${payload}`,
      warnings: [`warn ${payload}`],
      arms: [
        { name: `base ${attrPayload}`, values: seedValues(0.8) },
        {
          name: `variant ${payload}`,
          values: [0.81, null, 0.82, 0.8, 0.83, 0.81],
        },
      ],
    })
    report.environment = { ...report.environment, cpuModel: `cpu ${payload}` }
    const variant = report.variants[1]!
    variant.notes.push(`note ${attrPayload}`)
    variant.rerun = `npx vitest -t "${attrPayload}"`
    const failed = variant.runs.find((run) => run.state === 'failed')!
    if (failed.state === 'failed') failed.error.message = `boom ${payload}`

    const html = await renderHtmlReport([report])

    expect(html).not.toContain('<script')
    expect(html).not.toContain('<img')
    expect(html).not.toMatch(/onerror=alert\(1\)>/)
    for (const text of [`exp ${payload}`, `warn ${payload}`, `boom ${payload}`, `cpu ${payload}`]) {
      expect(html).toContain(escapeHtml(text))
    }
    expect(html).toContain(escapeHtml(`note ${attrPayload}`))
    expect(html).toContain(escapeHtml(`npx vitest -t "${attrPayload}"`))
  })

  test('the plot SVG escapes arm names too (Vega writes them as text)', async () => {
    const report = buildSampleReport({
      experiment: 'svg',
      arms: [
        { name: '<b>base</b>', values: seedValues(0.8) },
        { name: 'v & <i>1</i>', values: seedValues(0.82) },
      ],
    })

    const html = await renderHtmlReport([report])
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'))

    expect(svg).toContain('&lt;b&gt;base&lt;/b&gt;')
    expect(svg).toContain('v &amp; &lt;i&gt;1&lt;/i&gt;')
    expect(svg).not.toMatch(/<(b|i)>/)
  })
})
