import { AblateError } from '../errors.js'
import { isTestKind, TEST_KINDS } from '../stats/index.js'
import {
  DEFAULT_TIMEOUT_MS,
  type ExperimentOptions,
  KNOWN_METRICS,
  type ResolvedExperimentOptions,
} from './options.js'

/** Throws the spec error of every bad option, naming the experiment, the option and the value. */
export function failSpec(args: { experiment: string; option: string; message: string }): never {
  throw new AblateError(
    'ABLATE_SPEC_INVALID',
    `experiment '${args.experiment}': option '${args.option}' ${args.message}`,
  )
}

/** Applies defaults once and rejects options that cannot give a valid study, before any run. */
export function resolveExperimentOptions<C extends object>(args: {
  experiment: string
  options: ExperimentOptions<C>
}): ResolvedExperimentOptions<C> {
  const { experiment, options } = args
  const seeds = resolveSeeds(experiment, options)
  const metric = resolveMetric(experiment, options.metric)
  const known = KNOWN_METRICS[metric]

  return {
    repetitions: seeds.length,
    seeds,
    metric,
    direction: resolveDirection(experiment, metric, options.direction ?? known?.direction),
    alpha: resolveFraction(experiment, 'alpha', options.alpha ?? 0.05),
    rope: resolveRope(experiment, metric, options.rope ?? known?.rope),
    test: resolveTest(experiment, options.test ?? 'paired-t'),
    timeoutMs: resolvePositive(experiment, 'timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    concurrency: resolveCount(experiment, 'concurrency', options.concurrency ?? 1),
    run: options.run ?? null,
    config: options.config ?? ({} as C),
    version: options.version ?? '1',
    description: resolveDescription(experiment, options.description),
  }
}

function resolveDescription(experiment: string, description: unknown): string | null {
  if (description === undefined) return null
  if (typeof description !== 'string') {
    failSpec({
      experiment,
      option: 'description',
      message: `must be a string, got ${JSON.stringify(description)}`,
    })
  }
  return description.trim() === '' ? null : description.trim()
}

function resolveSeeds(
  experiment: string,
  options: Pick<ExperimentOptions, 'seeds' | 'repetitions'>,
): number[] {
  const { seeds, repetitions } = options
  if (seeds !== undefined) {
    if (repetitions !== undefined && repetitions !== seeds.length) {
      failSpec({
        experiment,
        option: 'seeds',
        message: `has ${seeds.length} seeds but repetitions is ${repetitions}: give one seed per repetition or drop repetitions`,
      })
    }
    checkSeedList(experiment, seeds)
    return [...seeds]
  }

  const n = repetitions ?? 6
  checkRepetitions(experiment, 'repetitions', n)
  // Seeds start at 1: several tfjs initializers treat seed 0 as "no seed" (DESIGN.md).
  return Array.from({ length: n }, (_, i) => i + 1)
}

function checkSeedList(experiment: string, seeds: readonly number[]): void {
  checkRepetitions(experiment, 'seeds', seeds.length)
  for (const seed of seeds) {
    if (!Number.isSafeInteger(seed)) {
      failSpec({ experiment, option: 'seeds', message: `must hold integers, found ${seed}` })
    }
  }
  if (new Set(seeds).size !== seeds.length) {
    failSpec({ experiment, option: 'seeds', message: `has duplicates: [${seeds.join(', ')}]` })
  }
}

function checkRepetitions(experiment: string, option: string, n: number): void {
  if (!Number.isInteger(n) || n < 2) {
    failSpec({
      experiment,
      option,
      message: `must give at least 2 repetitions (no spread, no test with fewer), found ${n}`,
    })
  }
}

function resolveMetric(experiment: string, metric: string | undefined): string {
  const name = metric ?? 'f1Macro'
  if (typeof name !== 'string' || name.trim() === '') {
    failSpec({ experiment, option: 'metric', message: `must be a metric name, found '${name}'` })
  }
  return name
}

function resolveDirection(
  experiment: string,
  metric: string,
  direction: string | undefined,
): 'higher' | 'lower' {
  if (direction === undefined) {
    failSpec({
      experiment,
      option: 'direction',
      message: `has no default for metric '${metric}' (defaults exist for ${Object.keys(KNOWN_METRICS).join(', ')}): say whether 'higher' or 'lower' is better`,
    })
  }
  if (direction !== 'higher' && direction !== 'lower') {
    failSpec({
      experiment,
      option: 'direction',
      message: `must be 'higher' or 'lower', found '${direction}'`,
    })
  }
  return direction
}

/**
 * Rejects, at collection, a metric that the default run (the fine-tuning engine) never returns,
 * when the baseline uses that run: every run would train and then fail for want of the metric.
 */
export function checkDefaultRunMetric(args: {
  experiment: string
  metric: string
  baselineUsesDefaultRun: boolean
}): void {
  if (!args.baselineUsesDefaultRun || args.metric in KNOWN_METRICS) return
  failSpec({
    experiment: args.experiment,
    option: 'metric',
    message: `'${args.metric}' is not a metric of the default run (it returns ${Object.keys(KNOWN_METRICS).join(', ')}): check the spelling, or give a \`run\` that returns it`,
  })
}

function resolveRope(experiment: string, metric: string, rope: number | undefined): number {
  if (rope === undefined) {
    failSpec({
      experiment,
      option: 'rope',
      message: `has no default for metric '${metric}' (defaults exist for ${Object.keys(KNOWN_METRICS).join(', ')}): check the metric's spelling, or give the smallest difference that matters`,
    })
  }
  if (!Number.isFinite(rope) || rope < 0) {
    failSpec({ experiment, option: 'rope', message: `must be a number >= 0, found ${rope}` })
  }
  return rope
}

function resolveTest(experiment: string, test: string): ResolvedExperimentOptions['test'] {
  if (!isTestKind(test)) {
    failSpec({
      experiment,
      option: 'test',
      message: `must be one of ${TEST_KINDS.join(', ')}, found '${test}'`,
    })
  }
  return test
}

function resolveFraction(experiment: string, option: string, value: number): number {
  if (!(value > 0 && value < 1)) {
    failSpec({ experiment, option, message: `must lie strictly between 0 and 1, found ${value}` })
  }
  return value
}

function resolvePositive(experiment: string, option: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) {
    failSpec({ experiment, option, message: `must be a positive number, found ${value}` })
  }
  return value
}

function resolveCount(experiment: string, option: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    failSpec({ experiment, option, message: `must be an integer >= 1, found ${value}` })
  }
  return value
}
