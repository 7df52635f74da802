/** tfjs backend choice, wasm training kernels and determinism. */

export type { InitBackendInternals } from './init.js'
export { backendOrder, initBackend, resolveInitBackendOptions } from './init.js'
export { registerWasmTrainingKernels } from './kernels/register.js'
export type { ImportModule } from './tensorflow.js'
export { pickWorkerGpu, tensorflowPackages } from './tensorflow.js'
export type {
  ActiveBackendName,
  BackendFallback,
  BackendInfo,
  BackendName,
  InitBackendOptions,
  ResolvedInitBackendOptions,
} from './types.js'
