import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { type ImportModule, startTensorflow } from './tensorflow.js'
import type {
  ActiveBackendName,
  BackendFallback,
  BackendInfo,
  BackendName,
  InitBackendOptions,
  ResolvedInitBackendOptions,
} from './types.js'
import { startCpu, startWasm } from './wasm.js'

const log = createLogger('backend')

/** The order 'auto' tries. */
export const backendOrder: readonly ActiveBackendName[] = [
  'tensorflow-gpu',
  'tensorflow',
  'wasm',
  'cpu',
]

const backendNames: readonly BackendName[] = ['auto', ...backendOrder]

/** Backends started in this process, by name: starting is done once, switching is cheap. */
const started = new Map<ActiveBackendName, BackendInfo>()

/** Hooks for tests: how optional packages are imported. */
export interface InitBackendInternals {
  importModule?: ImportModule
}

/**
 * Chooses, starts and activates the tfjs backend, and says what runs. Order for 'auto':
 * tensorflow-gpu, tensorflow (optional peers), wasm (with ablate's training kernels), cpu.
 * Idempotent: a backend is started once per process, later calls switch to it and return the same
 * info. A backend named explicitly (option or ABLATE_BACKEND) that cannot start throws
 * ABLATE_BACKEND_UNAVAILABLE instead of falling back.
 */
export async function initBackend(
  options: InitBackendOptions = {},
  internals: InitBackendInternals = {},
): Promise<BackendInfo> {
  const resolved = resolveInitBackendOptions(options)
  if (resolved.backend !== 'auto') return await activate(resolved.backend, resolved, internals)

  const fallbacks: BackendFallback[] = []
  for (const name of backendOrder) {
    try {
      const info = await activate(name, resolved, internals)
      return fallbacks.length === 0 ? info : { ...info, fallbacks }
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : String(cause)
      log('backend %s unavailable, trying the next: %s', name, reason)
      fallbacks.push({ name, reason })
    }
  }
  throw new AblateError(
    'ABLATE_BACKEND_UNAVAILABLE',
    `no tfjs backend could start; tried: ${fallbacks.map((f) => `${f.name} (${f.reason})`).join('; ')}`,
  )
}

/** Fills in defaults: ABLATE_BACKEND replaces 'auto'; ABLATE_DETERMINISTIC=1 turns determinism on. */
export function resolveInitBackendOptions(
  options: InitBackendOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedInitBackendOptions {
  const fromEnv = env.ABLATE_BACKEND?.trim()
  const requested = options.backend ?? 'auto'
  const backend = requested === 'auto' && fromEnv ? fromEnv : requested
  if (!backendNames.includes(backend as BackendName)) {
    const source = backend === requested ? 'option backend' : 'env ABLATE_BACKEND'
    throw new AblateError(
      'ABLATE_BACKEND_UNAVAILABLE',
      `${source} is '${backend}'; expected one of ${backendNames.join(', ')}.`,
    )
  }
  return {
    backend: backend as BackendName,
    deterministic: options.deterministic ?? env.ABLATE_DETERMINISTIC === '1',
  }
}

async function activate(
  name: ActiveBackendName,
  options: ResolvedInitBackendOptions,
  internals: InitBackendInternals,
): Promise<BackendInfo> {
  const known = started.get(name)
  if (known !== undefined) {
    await tf.setBackend(registeredName(name))
    return known
  }

  const info = await start(name, options, internals)
  started.set(name, info)
  log('active backend %s %o', name, info)
  return info
}

function start(
  name: ActiveBackendName,
  options: ResolvedInitBackendOptions,
  internals: InitBackendInternals,
): Promise<BackendInfo> {
  if (name === 'wasm') return startWasm()
  if (name === 'cpu') return startCpu()
  const { importModule } = internals
  return startTensorflow({ gpu: name === 'tensorflow-gpu', ...options, importModule })
}

/** tfjs registers both tfjs-node packages under the one name 'tensorflow'. */
function registeredName(name: ActiveBackendName): string {
  return name === 'tensorflow-gpu' ? 'tensorflow' : name
}
