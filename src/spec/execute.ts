import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { captureEnvironment } from '../report/environment.js'
import type { EnvironmentFingerprint, RunError, SeedRun } from '../report/types.js'
import { computeRunKey } from '../store/key.js'
import type { StoredRun } from '../store/record.js'
import { STORE_SCHEMA_VERSION } from '../store/record.js'
import { readStoredRun, writeStoredRun } from '../store/store.js'
import { ABLATE_VERSION } from '../store/version.js'
import { runFunctionIdentity } from './code-identity.js'
import { type FingerprintedRunFn, loadDefaultRun } from './default-run.js'
import type { ProgressEvent, RunResult } from './run.js'
import { callWithTimeout } from './timeout.js'

const log = createLogger('spec')

/** One repetition of one variant, fully resolved. */
export interface RunPlan<C extends object> {
  experiment: string
  variant: string
  /** The merged config. */
  config: C
  seed: number
  repetition: number
  metric: string
  timeoutMs: number
  version: string
  /** Null: the default run (the fine-tuning engine). */
  run: FingerprintedRunFn<C> | null
  /** The variant's name when `run` is the variant's own, not the experiment's; else null. */
  runOwner: string | null
}

/** What `executeRun` hands back to the test: the run as reported, and where it was made. */
export interface ExecutedRun {
  run: SeedRun
  environment: EnvironmentFingerprint
}

/**
 * Returns the stored result of this run when one exists (unless `fresh`), else makes the run,
 * stores it (passed or failed) atomically and returns it. A failing run is returned, not thrown.
 */
export async function executeRun<C extends object>(args: {
  plan: RunPlan<C>
  storeDir: string
  fresh: boolean
  signal: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}): Promise<ExecutedRun> {
  const { plan } = args
  const runFn = plan.run ?? (await loadDefaultRun<C>())
  const fingerprint = runFn.fingerprint ? await runFn.fingerprint(plan.config) : null
  const code = runFn.codeIdentity ? await runFn.codeIdentity() : runFunctionIdentity(runFn)
  const key = computeRunKey({ ...plan, fingerprint, code, ablateVersion: ABLATE_VERSION })

  const stored = await readStoredRun({ dir: args.storeDir, key })
  if (stored?.state === 'passed' && !args.fresh) {
    log('cached %s > %s > seed %d (%s)', plan.experiment, plan.variant, plan.seed, key)
    return { run: toSeedRun({ plan, stored, cached: true }), environment: stored.environment }
  }

  const record = await makeRun({ ...args, runFn, key, fingerprint })
  // A forced fresh run that fails must not destroy the result it was asked to redo.
  if (record.state === 'passed' || stored?.state !== 'passed') {
    await writeStoredRun({ dir: args.storeDir, run: record })
  }
  return {
    run: toSeedRun({ plan, stored: record, cached: false }),
    environment: record.environment,
  }
}

async function makeRun<C extends object>(args: {
  plan: RunPlan<C>
  runFn: FingerprintedRunFn<C>
  key: string
  fingerprint: string | null
  signal: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}): Promise<StoredRun> {
  const { plan } = args
  const label = `${plan.experiment} > ${plan.variant} > seed ${plan.seed}`
  const started = performance.now()

  let result: RunResult | undefined
  let error: RunError | undefined
  try {
    result = await callWithTimeout({
      fn: (signal) => args.runFn({ ...plan, signal, onProgress: args.onProgress }),
      timeoutMs: plan.timeoutMs,
      signal: args.signal,
      label,
    })
  } catch (thrown) {
    error = toRunError(thrown)
  }

  const base = storedBase({ ...args, durationMs: performance.now() - started, result })
  if (error || !result) return { ...base, state: 'failed', error: error ?? missingResult(label) }
  return { ...base, state: 'passed', metrics: result.metrics }
}

function storedBase<C extends object>(args: {
  plan: RunPlan<C>
  key: string
  fingerprint: string | null
  durationMs: number
  result: RunResult | undefined
}) {
  const { plan } = args
  const details = args.result?.details
  return {
    schemaVersion: STORE_SCHEMA_VERSION as typeof STORE_SCHEMA_VERSION,
    key: args.key,
    experiment: plan.experiment,
    variant: plan.variant,
    seed: plan.seed,
    config: plan.config,
    fingerprint: args.fingerprint,
    version: plan.version,
    ablateVersion: ABLATE_VERSION,
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(args.durationMs),
    environment: captureEnvironment(details),
    ...(details === undefined ? {} : { details }),
  }
}

function missingResult(label: string): RunError {
  return { message: `run ${label} returned nothing; a run must return { metrics }` }
}

/** Converts a stored run to the report's shape, checking that it holds the experiment's metric. */
function toSeedRun<C extends object>(args: {
  plan: RunPlan<C>
  stored: StoredRun
  cached: boolean
}): SeedRun {
  const { plan, stored } = args
  const base = {
    seed: plan.seed,
    repetition: plan.repetition,
    durationMs: stored.durationMs,
    key: stored.key,
    ...(stored.details === undefined ? {} : { details: stored.details }),
  }
  if (stored.state === 'failed')
    return { ...base, state: 'failed', value: null, metrics: {}, error: stored.error }

  const value = stored.metrics?.[plan.metric]
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    const error = toRunError(unknownMetric({ plan, metrics: stored.metrics ?? {} }))
    return { ...base, state: 'failed', value: null, metrics: stored.metrics ?? {}, error }
  }
  return { ...base, state: args.cached ? 'cached' : 'passed', value, metrics: stored.metrics }
}

function unknownMetric<C extends object>(args: {
  plan: RunPlan<C>
  metrics: Record<string, unknown>
}): AblateError {
  const names = Object.keys(args.metrics)
  const found =
    args.plan.metric in args.metrics ? String(args.metrics[args.plan.metric]) : 'nothing'
  return new AblateError(
    'ABLATE_SPEC_INVALID',
    `experiment '${args.plan.experiment}': option 'metric' is '${args.plan.metric}', but the run returned ${found} for it; the run's metrics are [${names.join(', ')}]: choose one of them`,
  )
}

/** A JSON-safe copy of anything thrown. */
export function toRunError(thrown: unknown): RunError {
  if (!(thrown instanceof Error)) return { message: String(thrown) }
  const code = (thrown as { code?: unknown }).code
  return {
    message: thrown.message,
    code: typeof code === 'string' ? code : thrown.name,
    ...(thrown.stack === undefined ? {} : { stack: thrown.stack }),
  }
}
