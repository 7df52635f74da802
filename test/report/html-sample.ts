/**
 * Hand-built `ExperimentReport`s for the HTML report tests: synthetic per-seed values with summaries
 * and paired differences computed here. p-values and verdicts are given by each sample (the HTML
 * renders them, it does not compute them).
 */

import type {
  EnvironmentFingerprint,
  ExperimentReport,
  SeedRun,
  VariantReport,
} from '../../src/report/types.js'
import type { Summary, Verdict, VerdictKind } from '../../src/stats/types.js'

/** Two-sided 95% Student-t quantile at df = 5 (scipy.stats.t.ppf(0.975, 5) = 2.5705818366). */
const T975_DF5 = 2.5705818366

/** Seeds of the six repetitions of every sample. */
export const SAMPLE_SEEDS = [11, 12, 13, 14, 15, 16]

/** One arm of a sample: per-seed values (null = failed run) and, for variants, p and verdict. */
export interface SampleArm {
  name: string
  values: (number | null)[]
  p?: number
  pAdjusted?: number
  verdict?: VerdictKind
  notes?: string[]
}

const LABELS: Record<VerdictKind, string> = {
  better: 'significantly better',
  worse: 'significantly worse',
  negligible: 'significant but negligible',
  equivalent: 'equivalent within ±0.01',
  inconclusive: 'no statistically significant difference',
}

/** A plausible environment fingerprint (values as captureEnvironment would give on this machine). */
export const SAMPLE_ENVIRONMENT: EnvironmentFingerprint = {
  ablateVersion: '0.1.0',
  backend: 'wasm',
  tfjsVersion: '4.22.0',
  cpuModel: 'Intel(R) Xeon(R) CPU @ 2.20GHz',
  cpuCount: 2,
  gpu: null,
  node: 'v20.20.2',
  platform: 'linux',
  arch: 'x64',
}

/** Builds a report whose first arm is the baseline; all arms have one value per seed. */
export function buildSampleReport(args: {
  experiment: string
  arms: SampleArm[]
  reachable?: boolean
  warnings?: string[]
}): ExperimentReport {
  const [baseline, ...variants] = args.arms
  if (baseline === undefined) throw new Error('buildSampleReport: expected at least a baseline arm')
  const rows = [
    toVariantReport(baseline, null),
    ...variants.map((arm) => toVariantReport(arm, baseline)),
  ]
  const counts = sumCounts(rows)

  return {
    schemaVersion: 1,
    experiment: args.experiment,
    file: `experiments/${args.experiment.replace(/\W+/g, '-')}.exp.ts`,
    line: 7,
    options: {
      metric: 'f1Macro',
      direction: 'higher',
      alpha: 0.05,
      rope: 0.01,
      test: 'paired-t',
      repetitions: SAMPLE_SEEDS.length,
      seeds: SAMPLE_SEEDS,
    },
    baseline: baseline.name,
    variants: rows,
    reachability: {
      reachable: args.reachable ?? true,
      minP: args.reachable === false ? 0.031 : 0,
      message:
        args.reachable === false
          ? 'wilcoxon with 6 pairs cannot reach p < 0.0125 after Holm over 4 variants'
          : 'reachable',
    },
    counts,
    wallTimeMs: 1000 * 37 * rows.length,
    environment: SAMPLE_ENVIRONMENT,
    warnings: args.warnings ?? [],
    createdAt: '2026-12-03T19:30:00.000Z',
  }
}

function toVariantReport(arm: SampleArm, baseline: SampleArm | null): VariantReport {
  const runs = arm.values.map((value, repetition) => toRun(value, repetition))
  const finished = arm.values.filter((value): value is number => value !== null)
  const isBaseline = baseline === null
  const comparison = isBaseline ? null : comparePaired(arm, baseline)
  const verdict: Verdict | null =
    isBaseline || arm.verdict === undefined
      ? null
      : { kind: arm.verdict, label: LABELS[arm.verdict] }

  return {
    name: arm.name,
    role: isBaseline ? 'baseline' : 'variant',
    config: { augment: { flip: 'horizontal' } },
    runs,
    counts: {
      passed: runs.filter((run) => run.state === 'passed').length,
      cached: runs.filter((run) => run.state === 'cached').length,
      failed: runs.filter((run) => run.state === 'failed').length,
    },
    summary: finished.length === 0 ? null : summarizeSample(finished),
    comparison,
    pAdjusted: comparison === null ? null : (arm.pAdjusted ?? arm.p ?? 1),
    verdict,
    mde: finished.length < 2 ? null : 0.021,
    notes: arm.notes ?? [],
    rerun: `npx vitest run --config vitest.bench.config.ts -t "${arm.name}"`,
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

function summarizeSample(values: number[]): Summary {
  const n = values.length
  const mean = values.reduce((sum, value) => sum + value, 0) / n
  const sd =
    n < 2 ? Number.NaN : Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1))
  const sem = sd / Math.sqrt(n)
  // Only df = 5 is tabulated here; other n get no interval (the page must cope with NaN).
  const half = n === 6 ? T975_DF5 * sem : Number.NaN
  return { n, mean, sd, sem, df: n - 1, ci95: [mean - half, mean + half] }
}

function comparePaired(arm: SampleArm, baseline: SampleArm): VariantReport['comparison'] {
  const diffs = arm.values.flatMap((value, i) => {
    const base = baseline.values[i]
    return value === null || base === null || base === undefined ? [] : [value - base]
  })
  if (diffs.length < 2) return null
  const summary = summarizeSample(diffs)
  return {
    test: 'paired-t',
    diff: summary.mean,
    ci95: summary.ci95,
    p: arm.p ?? 1,
    effectSize: { name: 'dz', value: summary.mean / summary.sd },
    n: diffs.length,
  }
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

/** Three experiments shaped like the shipped studies, including a failed run and a warning. */
export function buildSampleReports(): ExperimentReport[] {
  return [
    buildSampleReport({
      experiment: 'augmentation',
      arms: [
        { name: 'none', values: seedValues(0.78) },
        { name: 'flip', values: seedValues(0.81), p: 0.004, pAdjusted: 0.02, verdict: 'better' },
        {
          name: 'flip + rotation 54°',
          values: seedValues(0.745),
          p: 0.002,
          pAdjusted: 0.012,
          verdict: 'worse',
        },
        {
          name: 'flip + rotation 30°',
          values: seedValues(0.79, 0.02),
          p: 0.21,
          pAdjusted: 0.42,
          verdict: 'inconclusive',
        },
        {
          name: 'flip + rotation 30° + contrast',
          values: [0.8, 0.79, null, 0.805, 0.81, 0.77],
          p: 0.09,
          pAdjusted: 0.27,
          verdict: 'inconclusive',
          notes: ['1 unmatched seed dropped'],
        },
      ],
    }),
    buildSampleReport({
      experiment: 'dropout',
      arms: [
        { name: 'dropout 0', values: seedValues(0.8) },
        {
          name: 'dropout 0.1',
          values: seedValues(0.8015, 0.011),
          p: 0.6,
          pAdjusted: 1,
          verdict: 'equivalent',
        },
        {
          name: 'dropout 0.5',
          values: seedValues(0.77),
          p: 0.01,
          pAdjusted: 0.02,
          verdict: 'worse',
        },
      ],
    }),
    buildSampleReport({
      experiment: 'class balance',
      reachable: false,
      warnings: ['runs of "sampler" used 2 backends'],
      arms: [
        { name: 'unbalanced', values: seedValues(0.74) },
        {
          name: 'balanced sampler',
          values: seedValues(0.76),
          p: 0.031,
          pAdjusted: 0.031,
          verdict: 'inconclusive',
        },
      ],
    }),
  ]
}
