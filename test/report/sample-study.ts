import type { CollectedExperiment, CollectedTest } from '../../src/report/collect.js'
import type { EnvironmentFingerprint, SeedRun } from '../../src/report/types.js'
import type { ExperimentMeta } from '../../src/spec/meta.js'

/** A fixed environment, so that reports built in tests do not depend on this machine. */
export const SAMPLE_ENVIRONMENT: EnvironmentFingerprint = {
  ablateVersion: '0.1.0',
  backend: 'wasm',
  tfjsVersion: '4.22.0',
  cpuModel: 'Test CPU @ 2.0GHz',
  cpuCount: 2,
  gpu: null,
  node: 'v20.19.0',
  platform: 'linux',
  arch: 'x64',
}

const SEEDS = [1, 2, 3, 4, 5, 6]

/** Per-seed f1Macro of a fixed three-variant study (hand-picked numbers, seed 4 of 'x2' failed). */
export const SAMPLE_VALUES: Record<string, (number | null)[]> = {
  none: [0.801, 0.774, 0.812, 0.79, 0.805, 0.783],
  flip: [0.829, 0.806, 0.838, 0.821, 0.834, 0.81],
  x2: [0.795, 0.779, 0.81, null, 0.801, 0.788],
}

/** The experiment meta `experiment('contrast', ...)` would attach to its tests. */
export function sampleMeta(name = 'contrast'): ExperimentMeta {
  return {
    name,
    file: 'experiments/contrast.exp.ts',
    line: 7,
    options: {
      metric: 'f1Macro',
      direction: 'higher',
      alpha: 0.05,
      rope: 0.01,
      test: 'paired-t',
      repetitions: 6,
      seeds: SEEDS,
    },
    baseline: 'none',
    variants: [
      { name: 'none', role: 'baseline', config: { contrast: 1 } },
      { name: 'flip', role: 'variant', config: { contrast: 1, augment: { flip: 'horizontal' } } },
      { name: 'x2', role: 'variant', config: { contrast: 2 } },
    ],
  }
}

/** The collected tests of the sample study, as the reporter would see them after a run. */
export function sampleStudy(
  args: {
    name?: string
    values?: Record<string, (number | null)[]>
    cached?: boolean
    environment?: EnvironmentFingerprint
  } = {},
): CollectedExperiment {
  const meta = sampleMeta(args.name)
  const values = args.values ?? SAMPLE_VALUES
  const tests: CollectedTest[] = meta.variants.flatMap((row, v) =>
    SEEDS.map((seed, repetition) => ({
      meta: {
        experiment: meta,
        variant: row.name,
        seed,
        repetition,
        outcome: sampleRun({
          seed,
          repetition,
          value: values[row.name]?.[repetition] ?? null,
          cached: args.cached,
        }),
        environment: args.environment ?? SAMPLE_ENVIRONMENT,
      },
      state: values[row.name]?.[repetition] === null ? 'failed' : 'passed',
      errorMessage: null,
      startTime: 1_000 + (v * 6 + repetition) * 1_500,
      durationMs: 1_500,
      moduleId: '/project/experiments/contrast.exp.ts',
    })),
  )
  return { meta, tests, moduleIds: ['/project/experiments/contrast.exp.ts'] }
}

function sampleRun(args: {
  seed: number
  repetition: number
  value: number | null
  cached?: boolean
}): SeedRun {
  const base = { seed: args.seed, repetition: args.repetition, durationMs: 1_500 }
  if (args.value === null) {
    return {
      ...base,
      state: 'failed',
      value: null,
      metrics: {},
      error: { message: 'wasm heap exhausted at epoch 3', code: 'Error' },
    }
  }
  const state = args.cached ? 'cached' : 'passed'
  return {
    ...base,
    state,
    value: args.value,
    metrics: { f1Macro: args.value, accuracy: args.value + 0.04 },
  }
}
