/**
 * The per-experiment plot of the HTML report: each arm's per-seed values as points, its mean and
 * 95% CI as a bar, the baseline's mean as a dashed line over its CI band. Built as a Vega-Lite
 * spec, compiled to Vega and rendered to an SVG string in Node, so that the page needs no script.
 */

import type { TopLevelSpec } from 'vega-lite'
import type { Direction, VerdictKind } from '../stats/types.js'

/** Colour group of a row: its verdict, `'baseline'`, or `'none'` when no verdict could be drawn. */
export type SeedPlotGroup = VerdictKind | 'baseline' | 'none'

/** One row of the plot: the baseline or one variant. */
export interface SeedPlotArm {
  /** Shown on the y axis; any text (Vega escapes it in the SVG). Unique within the plot. */
  name: string
  /** The verdict against the baseline; `'baseline'` for the baseline itself. Colours the row. */
  group: SeedPlotGroup
  /** One value per finished run (passed or cached); non-finite values are left out. */
  points: readonly { seed: number; value: number }[]
  /** Mean of `points`, and its two-sided 95% interval; non-finite parts are not drawn. */
  mean: number
  ci95: readonly [number, number]
}

/** What the plot shows. */
export interface SeedPlotInput {
  /** Metric name for the axis title, e.g. `'f1Macro'`. */
  metric: string
  direction: Direction
  /** Rows top to bottom; the first with group `'baseline'` draws the reference line. */
  arms: readonly SeedPlotArm[]
  /** Pixel width of the plotting area. Default 520. */
  widthPx?: number
}

/** Colours per group, picked to read on white and apart for common colour-vision deficiencies. */
export const GROUP_COLORS: Record<SeedPlotGroup, string> = {
  baseline: '#555555',
  better: '#1b7837',
  worse: '#c51b7d',
  negligible: '#8c6d31',
  equivalent: '#2166ac',
  inconclusive: '#878787',
  none: '#bababa',
}

const ROW_STEP_PX = 34

/** Renders the plot to a standalone SVG string (no scripts, no external references). */
export async function renderSeedPlot(input: SeedPlotInput): Promise<string> {
  // Loaded on first use: importing vega costs ~0.6-1.3 s, and the public barrel re-exports this
  // module into every experiment worker that never renders a page.
  const [{ parse, View }, { compile }] = await Promise.all([import('vega'), import('vega-lite')])
  const vegaSpec = compile(buildSeedPlotSpec(input)).spec
  const view = new View(parse(vegaSpec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

/** Builds the Vega-Lite spec of the plot; exported so that tests can inspect its data. */
export function buildSeedPlotSpec(input: SeedPlotInput): TopLevelSpec {
  const order = input.arms.map((arm) => arm.name)
  const groups = [...new Set(input.arms.map((arm) => arm.group))]
  const axis = { labelLimit: 320, labelFontSize: 12 }
  const y = { field: 'arm', type: 'nominal', sort: order, title: null, axis } as const
  const color = {
    field: 'group',
    type: 'nominal',
    title: 'verdict',
    scale: { domain: groups, range: groups.map((g) => GROUP_COLORS[g]) },
  } as const

  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `Per-seed ${input.metric} of each arm with mean and 95% CI`,
    width: input.widthPx ?? 520,
    height: { step: ROW_STEP_PX },
    background: 'white',
    config: { axis: { labelFontSize: 12, titleFontSize: 12 }, legend: { labelFontSize: 12 } },
    layer: [
      ...baselineLayers(input),
      {
        // Names give SVG groups stable classes (`seed_points_marks`, ...) for tests and styling.
        name: 'seed_points',
        data: { values: pointRows(input.arms) },
        mark: { type: 'circle', size: 46, opacity: 0.6 },
        encoding: {
          y,
          yOffset: { field: 'jitter', type: 'quantitative', scale: { domain: [-1, 1] } },
          x: xEncoding(input),
          color,
        },
      },
      {
        name: 'ci_bars',
        data: { values: intervalRows(input.arms) },
        mark: { type: 'rule', strokeWidth: 2.5 },
        encoding: { y, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color },
      },
      {
        name: 'mean_ticks',
        data: { values: meanRows(input.arms) },
        mark: { type: 'tick', thickness: 3, size: 22, opacity: 1 },
        encoding: { y, x: { field: 'mean', type: 'quantitative' }, color },
      },
    ],
  } as TopLevelSpec
}

function xEncoding(input: SeedPlotInput) {
  const better = input.direction === 'higher' ? 'higher is better' : 'lower is better'
  return {
    field: 'value',
    type: 'quantitative',
    title: `${input.metric} per seed (${better}); bar: mean and 95% CI`,
    scale: { zero: false, nice: true },
  } as const
}

/** The baseline's CI as a band over all rows and its mean as a dashed line; nothing if unknown. */
function baselineLayers(input: SeedPlotInput): object[] {
  const base = input.arms.find((arm) => arm.group === 'baseline')
  if (base === undefined || !Number.isFinite(base.mean)) return []

  const layers: object[] = [
    {
      name: 'baseline_mean',
      data: { values: [{ mean: base.mean }] },
      mark: { type: 'rule', strokeDash: [5, 4], color: GROUP_COLORS.baseline, opacity: 0.8 },
      encoding: { x: { field: 'mean', type: 'quantitative' } },
    },
  ]
  const [low, high] = base.ci95
  if (Number.isFinite(low) && Number.isFinite(high)) {
    layers.unshift({
      name: 'baseline_band',
      data: { values: [{ low, high }] },
      mark: { type: 'rect', color: GROUP_COLORS.baseline, opacity: 0.08 },
      encoding: { x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' } },
    })
  }
  return layers
}

/** One row per finite value; a jitter in [-0.6, 0.6] spreads the seeds across the row. */
function pointRows(arms: readonly SeedPlotArm[]): object[] {
  return arms.flatMap((arm) => {
    const finite = arm.points.filter((point) => Number.isFinite(point.value))
    return finite.map((point, i) => ({
      arm: arm.name,
      group: arm.group,
      seed: point.seed,
      value: point.value,
      jitter: finite.length < 2 ? 0 : -0.6 + (1.2 * i) / (finite.length - 1),
    }))
  })
}

/** One row per arm with a finite mean. */
function meanRows(arms: readonly SeedPlotArm[]): object[] {
  return arms
    .filter((arm) => Number.isFinite(arm.mean))
    .map((arm) => ({ arm: arm.name, group: arm.group, mean: arm.mean }))
}

/** One row per arm with a finite interval (a single run has none: no bar). */
function intervalRows(arms: readonly SeedPlotArm[]): object[] {
  return arms
    .filter((arm) => arm.ci95.every(Number.isFinite))
    .map((arm) => ({ arm: arm.name, group: arm.group, low: arm.ci95[0], high: arm.ci95[1] }))
}
