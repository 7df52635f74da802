/**
 * `ExperimentReport`s for the HTML report tests, built like the harness builds them: synthetic
 * per-seed values (null = a failed run) go through src/stats' analyzeExperiment for summaries, paired
 * comparisons, Holm p-values, verdicts, MDE and reachability.
 */

import type { ExperimentReport, SeedRun, VariantReport } from '../../src/report/types.js'
import {
  type Arm,
  analyzeExperiment,
  type TestKind,
  type VariantAnalysis,
} from '../../src/stats/index.js'
import { SAMPLE_ENVIRONMENT } from './sample-study.js'

/** Seeds of the six repetitions of every sample. */
export const SAMPLE_SEEDS = [11, 12, 13, 14, 15, 16]

/** One arm of a sample: per-seed values in seed order (null = failed run). */
export interface SampleArm {
  name: string
  values: (number | null)[]
  /** Merged over SAMPLE_CONFIG (one level deep for `augment`). */
  config?: { dropout?: number; augment?: Record<string, unknown>; balance?: string }
}

/** The experiment-level config every sample arm starts from. */
export const SAMPLE_CONFIG = {
  architecture: 'compact-resnet',
  epochs: 10,
  dropout: 0,
  augment: { flip: false, rotationDeg: 0 },
  balance: 'none',
}

/** Builds a report whose first arm is the baseline, analysed with a paired t-test. */
export function buildSampleReport(args: {
  experiment: string
  arms: SampleArm[]
  /** Default 'paired-t'. */
  test?: TestKind
  warnings?: string[]
}): ExperimentReport {
  const [baseline, ...variants] = args.arms
  if (baseline === undefined) throw new Error('buildSampleReport: expected at least a baseline arm')
  const options = {
    metric: 'f1Macro',
    direction: 'higher',
    alpha: 0.05,
    rope: 0.01,
    test: args.test ?? 'paired-t',
    repetitions: SAMPLE_SEEDS.length,
    seeds: SAMPLE_SEEDS,
  } as const
  const analysis = analyzeExperiment({
    ...options,
    baseline: toArm(baseline),
    variants: variants.map(toArm),
  })

  const rows = [
    toVariantReport({ arm: baseline, role: 'baseline', analysis: analysis.baseline }),
    ...variants.map((arm, i) =>
      toVariantReport({ arm, role: 'variant', analysis: analysis.variants[i] }),
    ),
  ]
  return {
    schemaVersion: 1,
    experiment: args.experiment,
    file: `experiments/${args.experiment.replace(/\W+/g, '-')}.exp.ts`,
    line: 7,
    options: { ...options, seeds: [...SAMPLE_SEEDS] },
    baseline: baseline.name,
    variants: rows,
    reachability: analysis.reachability,
    counts: sumCounts(rows),
    wallTimeMs: 1000 * 37 * rows.length,
    environment: SAMPLE_ENVIRONMENT,
    warnings: args.warnings ?? [],
    createdAt: '2026-12-03T19:30:00.000Z',
  }
}

function toArm(arm: SampleArm): Arm {
  const finished = arm.values.flatMap((value, i) =>
    value === null ? [] : [{ value, seed: SAMPLE_SEEDS[i] ?? i }],
  )
  return {
    name: arm.name,
    values: finished.map((f) => f.value),
    seeds: finished.map((f) => f.seed),
  }
}

function toVariantReport(args: {
  arm: SampleArm
  role: VariantReport['role']
  analysis: Partial<VariantAnalysis> | undefined
}): VariantReport {
  const runs = args.arm.values.map((value, repetition) => toRun(value, repetition))
  const analysis = args.analysis
  return {
    name: args.arm.name,
    role: args.role,
    config: {
      ...SAMPLE_CONFIG,
      ...args.arm.config,
      augment: { ...SAMPLE_CONFIG.augment, ...args.arm.config?.augment },
    },
    runs,
    counts: {
      passed: runs.filter((run) => run.state === 'passed').length,
      cached: runs.filter((run) => run.state === 'cached').length,
      failed: runs.filter((run) => run.state === 'failed').length,
    },
    summary: analysis?.summary ?? null,
    comparison: analysis?.comparison ?? null,
    pAdjusted: analysis?.pAdjusted ?? null,
    verdict: analysis?.verdict ?? null,
    mde: analysis?.mde ?? null,
    notes: analysis?.notes ?? [],
    rerun: `npx vitest run --config vitest.bench.config.ts -t "${args.arm.name}"`,
  }
}

/** Repetitions 0-1 cached, the rest trained now; null means a failed run. */
function toRun(value: number | null, repetition: number): SeedRun {
  const seed = SAMPLE_SEEDS[repetition] ?? repetition
  const base = { seed, repetition, durationMs: 6100 + 100 * repetition }
  if (value === null) {
    const error = { message: `training diverged: loss is NaN at epoch 3 (seed ${seed})` }
    return { ...base, state: 'failed', value: null, metrics: {}, error }
  }
  const state = repetition < 2 ? 'cached' : 'passed'
  return { ...base, state, value, metrics: { f1Macro: value, accuracy: value + 0.03 } }
}

function sumCounts(rows: VariantReport[]): ExperimentReport['counts'] {
  return rows.reduce(
    (sum, row) => ({
      passed: sum.passed + row.counts.passed,
      cached: sum.cached + row.counts.cached,
      failed: sum.failed + row.counts.failed,
    }),
    { passed: 0, cached: 0, failed: 0 },
  )
}

const PATTERN = [-1.1, 0.4, 0.9, -0.3, 1.3, -1.2]

/** Synthetic values around `center`: a shared per-seed pattern plus arm-specific wobble. */
export function seedValues(center: number, spread = 0.012): number[] {
  return PATTERN.map((z, i) => {
    const wobble = 0.4 * Math.sin(1000 * center + 2.3 * i)
    return Number((center + (z + wobble) * spread).toFixed(4))
  })
}

/**
 * A gate for `report` as if its runs were compared with a committed baseline holding the baseline
 * arm's values: each variant's own comparison stands in for the gate's (the HTML only renders it).
 */
export function withSampleGate(report: ExperimentReport): ExperimentReport {
  const rows = report.variants.flatMap((variant) => {
    if (variant.comparison === null || variant.verdict === null) return []
    return [
      {
        key: `${report.experiment} > ${variant.name}`,
        variant: variant.name,
        comparison: variant.comparison,
        pAdjusted: variant.pAdjusted ?? 1,
        verdict: variant.verdict,
        regressed: variant.verdict.kind === 'worse',
      },
    ]
  })
  const gate = {
    baselineFile: `baselines/${report.experiment}.json`,
    environment: report.environment,
    environmentMismatch: [],
    state: 'compared' as const,
    rows,
  }
  return { ...report, gate }
}

/** Three experiments shaped like the shipped studies, with a failed run and an unreachable test. */
export function buildSampleReports(): ExperimentReport[] {
  const flip = 'horizontal'
  return [
    withSampleGate(
      buildSampleReport({
        experiment: 'augmentation',
        arms: [
          { name: 'none', values: seedValues(0.78) },
          { name: 'flip', values: seedValues(0.81), config: { augment: { flip } } },
          {
            name: 'flip + rotation 54°',
            values: seedValues(0.745),
            config: { augment: { flip, rotationDeg: 54 } },
          },
          {
            name: 'flip + rotation 30°',
            values: seedValues(0.79, 0.02),
            config: { augment: { flip, rotationDeg: 30 } },
          },
          {
            name: 'flip + rotation 30° + contrast',
            values: [0.8, 0.79, null, 0.805, 0.81, 0.77],
            config: { augment: { flip, rotationDeg: 30, contrast: 0.2 } },
          },
        ],
      }),
    ),
    buildSampleReport({
      experiment: 'dropout',
      test: 'wilcoxon',
      arms: [
        { name: 'dropout 0', values: seedValues(0.8) },
        { name: 'dropout 0.1', values: seedValues(0.8015), config: { dropout: 0.1 } },
        { name: 'dropout 0.2', values: seedValues(0.795), config: { dropout: 0.2 } },
        { name: 'dropout 0.5', values: seedValues(0.77), config: { dropout: 0.5 } },
      ],
    }),
    buildSampleReport({
      experiment: 'class balance',
      warnings: ['runs of "balanced sampler" used 2 backends'],
      arms: [
        { name: 'unbalanced', values: seedValues(0.74) },
        {
          name: 'balanced sampler',
          values: seedValues(0.743, 0.013),
          config: { balance: 'sampler' },
        },
      ],
    }),
  ]
}
