import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { writeHtmlReport } from '../../src/report/html.js'
import {
  buildSeedPlotSpec,
  renderSeedPlot,
  type SeedPlotInput,
} from '../../src/report/html-plot.js'
import { toSeedPlotInput } from '../../src/report/html-section.js'
import { buildSampleReport, seedValues } from './html-sample.js'

const INPUT: SeedPlotInput = {
  metric: 'f1Macro',
  direction: 'higher',
  arms: [
    {
      name: 'base',
      group: 'baseline',
      points: [0.8, 0.81, 0.79].map((value, seed) => ({ seed, value })),
      mean: 0.8,
      ci95: [0.775, 0.825],
    },
    {
      name: 'one run',
      group: 'none',
      points: [
        { seed: 0, value: 0.7 },
        { seed: 1, value: Number.NaN },
      ],
      mean: 0.7,
      ci95: [Number.NaN, Number.NaN],
    },
  ],
}

/** The inline data rows of the layer with this name. */
function layerRows(name: string): Record<string, unknown>[] {
  const spec = buildSeedPlotSpec(INPUT) as { layer: { name?: string; data: { values: [] } }[] }
  return spec.layer.find((layer) => layer.name === name)?.data.values ?? []
}

describe('seed plot', () => {
  test('carries every finite per-seed value and drops non-finite ones', () => {
    const rows = layerRows('seed_points')
    expect(rows.map((row) => row.value)).toEqual([0.8, 0.81, 0.79, 0.7])
    expect(rows.every((row) => Math.abs(row.jitter as number) <= 0.6)).toBe(true)
  })

  test('draws a mean for every arm but an interval only where it is finite', () => {
    expect(layerRows('mean_ticks').map((row) => row.arm)).toEqual(['base', 'one run'])
    expect(layerRows('ci_bars')).toEqual([
      { arm: 'base', group: 'baseline', low: 0.775, high: 0.825 },
    ])
  })

  test('marks the baseline with its mean line and CI band', () => {
    expect(layerRows('baseline_mean')).toEqual([{ mean: 0.8 }])
    expect(layerRows('baseline_band')).toEqual([{ low: 0.775, high: 0.825 }])
  })

  test('titles the value axis with the metric and which direction is better', () => {
    const spec = buildSeedPlotSpec({ ...INPUT, metric: 'loss', direction: 'lower' })
    expect(JSON.stringify(spec)).toContain('loss per seed (lower is better)')
  })

  test('renders a self-contained SVG with one symbol per point', async () => {
    const svg = await renderSeedPlot(INPUT)
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).not.toMatch(/<script|href="http|xlink:href="http/)
    const group = svg.slice(svg.indexOf('seed_points_marks'))
    expect(group.slice(0, group.indexOf('</g>')).match(/<path/g)?.length).toBe(4)
  })

  test('a report maps to plot rows: failed runs left out, baseline group first', () => {
    const report = buildSampleReport({
      experiment: 'map',
      arms: [
        { name: 'b', values: seedValues(0.8) },
        { name: 'v', values: [0.8, null, 0.81, 0.8, 0.79, 0.82] },
      ],
    })
    const input = toSeedPlotInput(report)
    expect(input.arms.map((arm) => [arm.name, arm.group, arm.points.length])).toEqual([
      ['b', 'baseline', 6],
      ['v', report.variants[1]?.verdict?.kind, 5],
    ])
  })
})

describe('writeHtmlReport', () => {
  test('throws ABLATE_REPORT_WRITE naming the path when the folder cannot be created', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ablate-html-'))
    const blocker = join(root, 'not-a-dir')
    await writeFile(blocker, 'a file where the reports folder should be')
    try {
      const error = await writeHtmlReport({ reports: [], dir: blocker }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AblateError)
      expect((error as AblateError).code).toBe('ABLATE_REPORT_WRITE')
      expect((error as AblateError).message).toContain(join(blocker, 'index.html'))
    } finally {
      await rm(root, { recursive: true, force: true })
    }
  })
})
