import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { getThreadsCount, setWasmPaths, version_wasm } from '@tensorflow/tfjs-backend-wasm'
import { AblateError } from '../errors.js'
import { registerWasmTrainingKernels } from './kernels/register.js'
import type { BackendInfo } from './types.js'

/**
 * Starts the wasm backend with its training kernels.
 *
 * Threads: one thread per process, on purpose. Stock tfjs-backend-wasm 4.22 turns its threaded
 * build off under Node (tfjs issue 3830); forcing it on takes monkey-patching of Blob, object URLs
 * and os.cpus for about 1.35x with 2 threads (DESIGN.md). ablate instead runs one single-threaded
 * wasm per vitest fork (maxWorkers = cores), which scales the study rather than the run.
 */
export async function startWasm(): Promise<BackendInfo> {
  // The .wasm files ship inside the package: point at them so Node loads them offline from disk.
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')
  setWasmPaths(`${dirname(entry)}/`)
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  registerWasmTrainingKernels('wasm')

  if (!(await tf.setBackend('wasm'))) {
    throw new AblateError(
      'ABLATE_BACKEND_UNAVAILABLE',
      `the wasm backend did not start from ${dirname(entry)} (tf.setBackend('wasm') returned ` +
        `false): check that its .wasm files are there, or choose backend 'cpu'.`,
    )
  }
  await tf.ready()
  return {
    name: 'wasm',
    tfjsVersion: tf.version_core,
    packageVersion: version_wasm,
    threads: getThreadsCount(),
    simd: (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true,
    deterministic: true,
    device: 'cpu',
  }
}

/** Starts tfjs' pure-JS cpu backend: slow (no SIMD, no threads) but always there. */
export async function startCpu(): Promise<BackendInfo> {
  await tf.setBackend('cpu')
  await tf.ready()
  return {
    name: 'cpu',
    tfjsVersion: tf.version_core,
    threads: 1,
    deterministic: true,
    device: 'cpu',
  }
}
