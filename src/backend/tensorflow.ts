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
  /**
   * Default: the models `nvidia-smi -L` lists (none when it is absent). Entry i names GPU i; their
   * number is what the vitest workers share round-robin.
   */
  gpus?: readonly string[]
}

/**
 * Loads @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional peers) and switches to its
 * 'tensorflow' backend. Before the import: GPU memory growth on, the determinism switch when asked,
 * and one GPU per vitest worker. The device recorded is the one libtensorflow reports using: a GPU
 * build that found no usable GPU (CUDA 12 without 11.2, say) is recorded on 'cpu', with a note.
 * Throws ABLATE_BACKEND_UNAVAILABLE, with the install command, when the package is missing or its
 * native library does not load.
 */
export async function startTensorflow(args: StartTensorflowArgs): Promise<BackendInfo> {
  const name = args.gpu ? 'tensorflow-gpu' : 'tensorflow'
  const pkg = tensorflowPackages[name]
  const env = args.env ?? process.env
  const gpus = args.gpu ? (args.gpus ?? listGpus()) : []
  const requested = prepareEnv({ ...args, env, gpus })

  const mod = await importPackage({ pkg, importModule: args.importModule ?? defaultImport })
  if (tf.findBackend('tensorflow') === null || !(await tf.setBackend('tensorflow'))) {
    throw new AblateError(
      'ABLATE_BACKEND_UNAVAILABLE',
      `${pkg} loaded but registered no 'tensorflow' backend with this @tensorflow/tfjs ` +
        `(${tf.version_core}): install ${pkg}@${tf.version_core} so both share one tfjs-core.`,
    )
  }
  await tf.ready()
  const device = confirmDevice({ pkg, requested, gpus })
  log('started %s (%s) on %s', name, pkg, device.device)
  for (const note of device.notes ?? []) log('%s', note)
  return {
    name,
    tfjsVersion: tf.version_core,
    ...readVersions(mod),
    deterministic: env.TF_DETERMINISTIC_OPS === '1',
    ...device,
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

/**
 * Sets the variables libtensorflow reads at load time; returns the GPU index it is asked to use
 * (undefined for the cpu build).
 */
function prepareEnv(args: {
  gpu: boolean
  deterministic: boolean
  env: NodeJS.ProcessEnv
  gpus: readonly string[]
}): string | undefined {
  const { env } = args
  env.TF_FORCE_GPU_ALLOW_GROWTH ??= 'true'
  if (args.deterministic) env.TF_DETERMINISTIC_OPS = '1'
  if (!args.gpu) return undefined

  // CUDA numbers GPUs fastest first unless told otherwise; nvidia-smi numbers them by PCI bus.
  env.CUDA_DEVICE_ORDER ??= 'PCI_BUS_ID'
  const gpu = pickWorkerGpu({ env, gpuCount: args.gpus.length })
  if (gpu !== undefined) env.CUDA_VISIBLE_DEVICES = gpu
  return gpu ?? env.CUDA_VISIBLE_DEVICES?.split(',')[0]?.trim() ?? '0'
}

/**
 * The device the started backend really computes on. tfjs-node(-gpu) sets `isUsingGpuDevice` on
 * its backend from libtensorflow's device list; a GPU build without a usable GPU says false.
 */
function confirmDevice(args: {
  pkg: string
  requested: string | undefined
  gpus: readonly string[]
}): Pick<BackendInfo, 'device' | 'gpuName' | 'notes'> {
  const { pkg, requested } = args
  if (requested === undefined) return { device: 'cpu' }
  const usesGpu = (tf.backend() as unknown as { isUsingGpuDevice?: unknown }).isUsingGpuDevice
  if (usesGpu === false) return { device: 'cpu', notes: [onCpuNote(pkg)] }

  const gpuName = /^\d+$/.test(requested) ? args.gpus[Number(requested)] : undefined
  const named = gpuName === undefined ? {} : { gpuName }
  if (usesGpu === true) return { device: `cuda:${requested}`, ...named }
  const unverified =
    `${pkg} does not say whether it computes on a GPU (its backend has no isUsingGpuDevice): ` +
    `cuda:${requested} is the device requested, not confirmed`
  return { device: `cuda:${requested}`, ...named, notes: [unverified] }
}

function onCpuNote(pkg: string): string {
  return (
    `${pkg} found no usable GPU and computes on the CPU: libtensorflow 2.9 needs an NVIDIA driver ` +
    '>= 450, CUDA 11.2 and cuDNN 8.1 (CUDA 12 alone is not enough). Install those, or choose ' +
    "backend 'tensorflow' to say that the CPU is meant."
  )
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

/** GPU models by index as `nvidia-smi -L` lists them; none without nvidia-smi. */
function listGpus(): string[] {
  try {
    const out = execFileSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 })
    return parseGpuList(out)
  } catch {
    return []
  }
}

/**
 * Reads the GPU models out of `nvidia-smi -L` output (`GPU 0: NVIDIA H200 (UUID: GPU-...)`), by
 * index; MIG lines are left out.
 */
export function parseGpuList(output: string): string[] {
  const names: string[] = []
  for (const line of output.split('\n')) {
    const match = /^GPU (\d+): (.+?)(?: \(UUID: [^)]*\))?\s*$/.exec(line)
    if (match) names[Number(match[1])] = match[2]!.trim()
  }
  return names
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
