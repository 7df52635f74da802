import { cpus } from 'node:os'
import { ABLATE_VERSION } from '../store/version.js'
import type { EnvironmentFingerprint } from './types.js'

/**
 * Fields that change numbers: a regression gate refuses to compare runs whose fields differ here.
 * ablateVersion and node are left out on purpose: catching what code changes did is the gate's aim.
 * `gpu` is compared by kind, not by index (see {@link gpuKind}).
 */
export const GATED_ENVIRONMENT_FIELDS: readonly (keyof EnvironmentFingerprint)[] = [
  'backend',
  'tfjsVersion',
  'gpu',
  'arch',
]

/**
 * The environment of the current process, with backend, tfjs version and GPU taken from a run's
 * `details.backend` (the training engine's BackendInfo) when it has one.
 */
export function captureEnvironment(details?: Record<string, unknown>): EnvironmentFingerprint {
  const backend = readBackend(details)
  const cpuList = cpus()
  return {
    ablateVersion: ABLATE_VERSION,
    backend: backend.name,
    tfjsVersion: backend.tfjsVersion,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cpuCount: cpuList.length,
    gpu: describeGpu(backend),
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  }
}

interface RecordedBackend {
  name: string | null
  tfjsVersion: string | null
  device: string | null
  gpuName: string | null
}

function readBackend(details?: Record<string, unknown>): RecordedBackend {
  const info = details?.backend
  if (info === null || typeof info !== 'object') {
    const name = typeof info === 'string' ? info : null
    return { name, tfjsVersion: null, device: null, gpuName: null }
  }
  const record = info as Record<string, unknown>
  const text = (value: unknown) => (typeof value === 'string' ? value : null)
  return {
    name: text(record.name),
    tfjsVersion: text(record.tfjsVersion),
    device: text(record.device),
    gpuName: text(record.gpuName),
  }
}

/** The device, with the GPU model after it where known: 'cuda:1 (NVIDIA H200)'. */
function describeGpu(backend: RecordedBackend): string | null {
  if (backend.device === null || backend.gpuName === null) return backend.device
  return `${backend.device} (${backend.gpuName})`
}

/**
 * What the gate compares of an environment's `gpu`: the GPU model where it is named, 'a GPU' for
 * a bare 'cuda:<index>' (older records, or no nvidia-smi), 'no GPU' for 'cpu' or none. The index
 * is never compared: each vitest worker owns another GPU of the same machine.
 */
export function gpuKind(gpu: string | null): string {
  if (gpu === null || gpu === 'cpu') return 'no GPU'
  const named = /^cuda:[^ ]* \((.+)\)$/.exec(gpu)
  if (named) return named[1]!
  return gpu.startsWith('cuda:') ? 'a GPU' : gpu
}

/** Whether two `gpu` fields name the same kind of device; a GPU of unknown model matches any GPU. */
function sameGpuKind(a: string | null, b: string | null): boolean {
  const [kindA, kindB] = [gpuKind(a), gpuKind(b)]
  if (kindA === kindB) return true
  const isGpu = (kind: string) => kind !== 'no GPU'
  return isGpu(kindA) && isGpu(kindB) && (kindA === 'a GPU' || kindB === 'a GPU')
}

/** Names of the gated fields whose values differ between two environments. */
export function diffEnvironments(
  a: EnvironmentFingerprint,
  b: EnvironmentFingerprint,
): (keyof EnvironmentFingerprint)[] {
  return GATED_ENVIRONMENT_FIELDS.filter((field) =>
    field === 'gpu' ? !sameGpuKind(a.gpu, b.gpu) : a[field] !== b[field],
  )
}
