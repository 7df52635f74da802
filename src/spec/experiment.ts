import { describe, recordArtifact, type TestContext, test } from 'vitest'
import { AblateError } from '../errors.js'
import { rerunCommand } from '../report/format.js'
import { isFreshRequested, resolveStoreDir } from '../store/store.js'
import type { TrainConfig } from '../train/config.js'
import type { FingerprintedRunFn } from './default-run.js'
import { executeRun, type RunPlan } from './execute.js'
import { findCallerLocation, type SpecLocation } from './location.js'
import { mergeConfig } from './merge.js'
import type { AblateTestMeta, ExperimentMeta } from './meta.js'
import type { ExperimentOptions, ResolvedExperimentOptions, VariantOptions } from './options.js'
import { checkDefaultRunMetric, failSpec, resolveExperimentOptions } from './resolve.js'
import type { ProgressEvent } from './run.js'
import { Semaphore } from './semaphore.js'

/** A config where every nested field is optional: what a variant gives over the experiment's. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T

/** `baseline` and `variant` typed by the experiment's config, handed to the experiment's body. */
export interface SpecHelpers<C extends object> {
  baseline: (name: string, config?: DeepPartial<C>, options?: VariantOptions<C>) => void
  variant: (name: string, config: DeepPartial<C>, options?: VariantOptions<C>) => void
}

/** One `baseline()` or `variant()` call. */
interface RowSpec {
  name: string
  role: 'baseline' | 'variant'
  config: object
  run?: FingerprintedRunFn<object>
}

let collecting: { experiment: string; rows: RowSpec[] } | null = null
/** Experiments declared by this module graph: one spec file, as vitest isolates files. */
const declared = new Set<string>()

/**
 * Declares an experiment: a vitest `describe` holding one `describe` per variant and one test per
 * repetition, named `<experiment> > <variant> > seed <seed>` so that `-t` selects a variant or a
 * run. `body` calls `baseline()` once and `variant()` for each option compared with it: the global
 * ones (configs checked as `TrainConfig`) or those it receives (checked as the config type `C`).
 */
export function experiment<C extends object = TrainConfig>(
  name: string,
  options: ExperimentOptions<C>,
  body: (helpers: SpecHelpers<C>) => void,
): void {
  const location = findCallerLocation(new Error().stack)
  // Concurrent at both levels, so that variants as well as seeds share the semaphore's slots.
  describe(name, { concurrent: (options.concurrency ?? 1) > 1 }, () => {
    const { resolved, rows } = withSpecLocation(location, () => {
      checkUniqueName(name)
      const resolved = resolveExperimentOptions({ experiment: name, options })
      const rows = collectRows(name, () => body({ baseline, variant } as SpecHelpers<C>))
      checkRows(name, rows)
      const baselineRow = rows.find((row) => row.role === 'baseline')
      checkDefaultRunMetric({
        experiment: name,
        metric: resolved.metric,
        baselineUsesDefaultRun: resolved.run === null && baselineRow?.run === undefined,
      })
      return { resolved, rows }
    })
    declareTests({
      name,
      location,
      resolved: resolved as unknown as ResolvedExperimentOptions<object>,
      rows,
    })
  })
}

/**
 * Declares the reference configuration of the enclosing experiment (exactly one per experiment).
 * `config` is checked as `C`, default `TrainConfig`; never inferred from the config itself.
 */
export function baseline<C extends object = TrainConfig>(
  name: string,
  config: NoInfer<DeepPartial<C>> = {} as DeepPartial<C>,
  options: VariantOptions<C> = {},
): void {
  addRow({ name, role: 'baseline', config, run: options.run as FingerprintedRunFn<object> })
}

/**
 * Declares a configuration compared with the baseline; `config` is deep-merged over the
 * experiment's and checked as `C`, default `TrainConfig` (a misspelt option is a type error).
 */
export function variant<C extends object = TrainConfig>(
  name: string,
  config: NoInfer<DeepPartial<C>>,
  options: VariantOptions<C> = {},
): void {
  addRow({ name, role: 'variant', config, run: options.run as FingerprintedRunFn<object> })
}

/** Adds the spec's own file and line to a spec error: its stack points into the harness. */
function withSpecLocation<T>(location: SpecLocation, fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (!(error instanceof AblateError)) throw error
    const where = `${location.file}:${location.line ?? '?'}`
    throw new AblateError(error.code, `${error.message}\n  spec: ${where}`, { cause: error })
  }
}

function addRow(row: RowSpec): void {
  if (collecting === null) {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `${row.role}('${row.name}') was called outside experiment(): call it inside the experiment's body`,
    )
  }
  collecting.rows.push(row)
}

function collectRows(experiment: string, body: () => void): RowSpec[] {
  const outer = collecting
  collecting = { experiment, rows: [] }
  try {
    body()
    return collecting.rows
  } finally {
    collecting = outer
  }
}

/** Rejects a second experiment of the same name in one file: its runs and reports would merge. */
function checkUniqueName(name: string): void {
  if (declared.has(name)) {
    failSpec({
      experiment: name,
      option: 'name',
      message: 'is declared twice in this file: give each experiment its own name',
    })
  }
  declared.add(name)
}

/** Rejects a spec without exactly one baseline or with duplicate names, naming the experiment. */
export function checkRows(experiment: string, rows: readonly RowSpec[]): void {
  const baselines = rows.filter((row) => row.role === 'baseline')
  if (baselines.length !== 1) {
    const found = baselines.map((row) => `'${row.name}'`).join(', ') || 'none'
    failSpec({
      experiment,
      option: 'baseline',
      message: `must be given exactly once, found ${found}`,
    })
  }
  if (rows.length < 2) {
    failSpec({ experiment, option: 'variant', message: 'must be given at least once, found none' })
  }

  const seen = new Set<string>()
  for (const row of rows) {
    if (row.name.trim() === '') {
      failSpec({
        experiment,
        option: 'variant',
        message: `names must not be empty, found '${row.name}'`,
      })
    }
    if (seen.has(row.name)) {
      failSpec({
        experiment,
        option: 'variant',
        message: `names must be unique, found '${row.name}' twice`,
      })
    }
    seen.add(row.name)
  }
}

function declareTests(args: {
  name: string
  location: SpecLocation
  resolved: ResolvedExperimentOptions<object>
  rows: RowSpec[]
}): void {
  const { resolved } = args
  const ordered = [...args.rows].sort((a, b) =>
    a.role === b.role ? 0 : a.role === 'baseline' ? -1 : 1,
  )
  const experimentMeta = buildExperimentMeta({ ...args, rows: ordered })
  const semaphore = new Semaphore(resolved.concurrency)

  for (const row of ordered) {
    const config = mergeConfig(resolved.config, row.config)
    describe(row.name, { concurrent: resolved.concurrency > 1 }, () => {
      resolved.seeds.forEach((seed, repetition) => {
        const plan: RunPlan<object> = {
          experiment: args.name,
          variant: row.name,
          config,
          seed,
          repetition,
          metric: resolved.metric,
          timeoutMs: resolved.timeoutMs,
          version: resolved.version,
          run: row.run ?? (resolved.run as FingerprintedRunFn<object> | null),
          runOwner: row.run ? row.name : null,
        }
        const meta: AblateTestMeta = {
          experiment: experimentMeta,
          variant: row.name,
          seed,
          repetition,
        }
        test(`seed ${seed}`, { timeout: 0, meta: { ablate: meta } }, (context) =>
          semaphore.use(() => runTest({ plan, context, location: args.location })),
        )
      })
    })
  }
}

function buildExperimentMeta(args: {
  name: string
  location: SpecLocation
  resolved: ResolvedExperimentOptions<object>
  rows: RowSpec[]
}): ExperimentMeta {
  const { resolved } = args
  return {
    name: args.name,
    file: args.location.file,
    line: args.location.line,
    options: {
      metric: resolved.metric,
      direction: resolved.direction,
      alpha: resolved.alpha,
      rope: resolved.rope,
      test: resolved.test,
      repetitions: resolved.repetitions,
      seeds: resolved.seeds,
    },
    ...(resolved.description === null ? {} : { description: resolved.description }),
    baseline: args.rows.find((row) => row.role === 'baseline')?.name ?? '',
    variants: args.rows.map((row) => ({
      name: row.name,
      role: row.role,
      config: mergeConfig(resolved.config, row.config) as Record<string, unknown>,
    })),
  }
}

async function runTest(args: {
  plan: RunPlan<object>
  context: TestContext
  location: SpecLocation
}): Promise<void> {
  const { plan, context } = args
  const progress = createProgressSink({ plan, context })

  const executed = await executeRun({
    plan,
    storeDir: resolveStoreDir(),
    fresh: isFreshRequested(),
    signal: context.signal,
    onProgress: progress.onProgress,
  })
  await progress.flush()
  const meta = context.task.meta.ablate
  if (meta) Object.assign(meta, { outcome: executed.run, environment: executed.environment })

  if (executed.run.state === 'failed') {
    throw new AblateError(
      'ABLATE_RUN_FAILED',
      `run failed: ${executed.run.error.message}\n  spec: ${args.location.file}:${args.location.line ?? '?'}\n  rerun: ${rerunCommand({ experiment: plan.experiment, baseline: plan.variant, variant: plan.variant, seed: plan.seed })}`,
    )
  }
}

/**
 * Forwards ProgressEvents to reporters as test artifacts, in order, awaited before the test ends.
 * Shortcoming: `recordArtifact` is marked experimental in vitest 4.1; should it change in vitest 5,
 * only the live lines stop (results travel in task meta). The mark goes when the API is stable.
 */
function createProgressSink(args: { plan: RunPlan<object>; context: TestContext }): {
  onProgress: (event: ProgressEvent) => void
  flush: () => Promise<void>
} {
  let chain: Promise<unknown> = Promise.resolve()
  const onProgress = (event: ProgressEvent): void => {
    const artifact = {
      type: 'ablate:progress' as const,
      experiment: args.plan.experiment,
      variant: args.plan.variant,
      seed: args.plan.seed,
      event,
    }
    chain = chain.then(() => recordArtifact(args.context.task, artifact)).catch(() => undefined)
  }
  return { onProgress, flush: () => chain.then(() => undefined) }
}
