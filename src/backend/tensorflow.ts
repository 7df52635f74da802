import { execFileSync } from 'node:child_process'
import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import type { BackendInfo } from './types.js'

const log = createLogger('backend')

/** Loads a module by name; tests pass a fake to simulate missing or present packages. */
export type ImportModule = (specifier: string) => Promise<unknown>

/** The optional peer package behind each tensorflow backend. */
export const tensorflowPackages = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
} as const

/** Options of {@link startTensorflow}. */
export interface StartTensorflowArgs {
  gpu: boolean
  deterministic: boolean
  /** Default: dynamic `import()`. */
  importModule?: ImportModule
  /** Default: process.env. Written before the import, because libtensorflow reads it on load. */
  env?: NodeJS.ProcessEnv
  /** Default: counted with `nvidia-smi -L` (0 when absent). */
  gpuCount?: number
}

/**
 * Loads @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional peers) and switches to its
 * 'tensorflow' backend. Before the import: GPU memory growth on, the determinism switch when asked,
 * and one GPU per vitest worker. Throws ABLATE_BACKEND_UNAVAILABLE, with the install command, when
 * the package is missing or its native library does not load.
 */
export async function startTensorflow(args: StartTensorflowArgs): Promise<BackendInfo> {
  const name = args.gpu ? 'tensorflow-gpu' : 'tensorflow'
  const pkg = tensorflowPackages[name]
  const env = args.env ?? process.env
  const device = prepareEnv({ ...args, env })

  const mod = await importPackage({ pkg, importModule: args.importModule ?? defaultImport })
  if (tf.findBackend('tensorflow') === null || !(await tf.setBackend('tensorflow'))) {
    throw new AblateError(
      'ABLATE_BACKEND_UNAVAILABLE',
      `${pkg} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs ` +
        `(${tf.version_core}): install ${pkg}@${tf.version_core} so both share one tfjs-core.`,
    )
  }
  await tf.ready()
  log('started %s (%s) on %s', name, pkg, device)
  return {
    name,
    tfjsVersion: tf.version_core,
    ...readVersions(mod),
    deterministic: env.TF_DETERMINISTIC_OPS === '1',
    device,
  }
}

const defaultImport: ImportModule = (specifier) => import(specifier)

async function importPackage(args: { pkg: string; importModule: ImportModule }): Promise<unknown> {
  try {
    return await args.importModule(args.pkg)
  } catch (cause) {
    const what = isNotInstalled(cause) ? 'is not installed' : 'failed to load'
    throw new AblateError(
      'ABLATE_BACKEND_UNAVAILABLE',
      `${args.pkg} ${what} (${(cause as Error).message}). Install it with ` +
        `\`npm install --save-exact ${args.pkg}@${tf.version_core}\` (it downloads libtensorflow ` +
        `at install; offline, mirror it via TFJS_NODE_CDN_STORAGE), or choose backend 'wasm'.`,
      { cause },
    )
  }
}

/** Node says ERR_MODULE_NOT_FOUND; Vite (under vitest) says "Could not resolve". */
function isNotInstalled(cause: unknown): boolean {
  const { code, message } = cause as { code?: string; message?: string }
  return (
    code === 'ERR_MODULE_NOT_FOUND' ||
    /Cannot find (package|module)|Could not resolve/.test(message ?? '')
  )
}

/** Sets the variables libtensorflow reads at load time; returns the device it will compute on. */
function prepareEnv(args: StartTensorflowArgs & { env: NodeJS.ProcessEnv }): string {
  const { env } = args
  env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true'
  if (args.deterministic) env.TF_DETERMINISTIC_OPS = '1'
  if (!args.gpu) return 'cpu'

  const gpu = pickWorkerGpu({ env, gpuCount: args.gpuCount ?? countGpus() })
  if (gpu !== undefined) env.CUDA_VISIBLE_DEVICES = gpu
  return `cuda:${gpu ?? env.CUDA_VISIBLE_DEVICES ?? 0}`
}

/**
 * The GPU a vitest worker should own: worker VITEST_POOL_ID (1-based) takes entry
 * (id - 1) mod n of CUDA_VISIBLE_DEVICES when the user set a list, else of 0..gpuCount-1.
 * Undefined outside vitest or when no GPU is known: CUDA_VISIBLE_DEVICES is then left alone.
 */
export function pickWorkerGpu(args: {
  env: NodeJS.ProcessEnv
  gpuCount: number
}): string | undefined {
  const poolId = Number(args.env.VITEST_POOL_ID)
  if (!Number.isInteger(poolId) || poolId < 1) return undefined
  const listed = args.env.CUDA_VISIBLE_DEVICES?.split(',').filter((d) => d.trim() !== '')
  const devices = listed ?? Array.from({ length: args.gpuCount }, (_, i) => String(i))
  if (devices.length === 0) return undefined
  return devices[(poolId - 1) % devices.length]?.trim()
}

function countGpus(): number {
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 })
    return out.split('\n').filter((line) => line.startsWith('GPU ')).length
  } catch {
    return 0
  }
}

/** Reads versions from the loosely typed tfjs-node module and its binding, where present. */
function readVersions(mod: unknown): { packageVersion?: string; tensorflowVersion?: string } {
  // A CommonJS package imported from ESM may expose its exports only under `default`.
  type Exports = {
    version?: Record<string, string>
    default?: { version?: Record<string, string> }
  }
  const versions = (mod as Exports).version ?? (mod as Exports).default?.version ?? {}
  const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding
  return {
    packageVersion: versions['tfjs-node'] ?? versions['tfjs-node-gpu'],
    tensorflowVersion: binding?.TF_Version,
  }
}
