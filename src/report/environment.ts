import { cpus } from 'node:os'
import { ABLATE_VERSION } from '../store/version.js'
import type { EnvironmentFingerprint } from './types.js'

/**
 * Fields that change numbers: a regression gate refuses to compare runs whose fields differ here.
 * ablateVersion and node are left out on purpose: catching what code changes did is the gate's aim.
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
    gpu: backend.device,
    node: process.version,
    platform: process.platform,
    arch: process.arch,
  }
}

function readBackend(details?: Record<string, unknown>): {
  name: string | null
  tfjsVersion: string | null
  device: string | null
} {
  const info = details?.backend
  if (info === null || typeof info !== 'object') {
    return { name: typeof info === 'string' ? info : null, tfjsVersion: null, device: null }
  }
  const record = info as Record<string, unknown>
  return {
    name: typeof record.name === 'string' ? record.name : null,
    tfjsVersion: typeof record.tfjsVersion === 'string' ? record.tfjsVersion : null,
    device: typeof record.device === 'string' ? record.device : null,
  }
}

/** Names of the gated fields whose values differ between two environments. */
export function diffEnvironments(
  a: EnvironmentFingerprint,
  b: EnvironmentFingerprint,
): (keyof EnvironmentFingerprint)[] {
  return GATED_ENVIRONMENT_FIELDS.filter((field) => a[field] !== b[field])
}
