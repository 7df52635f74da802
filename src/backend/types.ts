import type { BackendName } from '../train/config.js'

export type { BackendName }

/** A tfjs backend that actually runs (the resolved form of {@link BackendName}). */
export type ActiveBackendName = Exclude<BackendName, 'auto'>

/** A backend that was tried and skipped while resolving `'auto'`, with why. */
export interface BackendFallback {
  name: ActiveBackendName
  reason: string
}

/** What ran: stored in every run's record so results from different backends are never mixed. */
export interface BackendInfo {
  name: ActiveBackendName
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string
  /** Version of the package that provides the backend (tfjs-backend-wasm, tfjs-node, tfjs-node-gpu). */
  packageVersion?: string
  /** Version of libtensorflow under tfjs-node(-gpu), where the binding reports it. */
  tensorflowVersion?: string
  /** Threads the backend computes with (wasm: 1 by design, see wasm.ts). */
  threads?: number
  /** Whether wasm runs its SIMD build. */
  simd?: boolean
  /** Whether the same seed gives bit-identical results on this backend. */
  deterministic?: boolean
  /**
   * Device the backend computes on: 'cpu', or 'cuda:<index>' (the CUDA_VISIBLE_DEVICES entry this
   * process was given) when tfjs-node-gpu reports that libtensorflow really uses a GPU.
   */
  device?: string
  /** Model of that GPU as nvidia-smi names it (e.g. 'NVIDIA H200'), where known. */
  gpuName?: string
  /** What the record alone would not say, e.g. that a GPU build computes on the CPU. */
  notes?: string[]
  /** Backends tried first and skipped (only when resolving 'auto'). */
  fallbacks?: BackendFallback[]
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * Default 'auto': the env var ABLATE_BACKEND if set, else the first of tensorflow-gpu, tensorflow,
   * wasm, cpu that loads. A named backend that cannot load is an error, never a silent fallback.
   */
  backend?: BackendName
  /**
   * Default false, or true when ABLATE_DETERMINISTIC=1. For tensorflow(-gpu): sets
   * TF_DETERMINISTIC_OPS=1 before libtensorflow loads (libtensorflow 2.9 then throws on depthwise
   * filter gradients, so MobileNetV2/EfficientNet cannot train). wasm and cpu are deterministic anyway.
   */
  deterministic?: boolean
}

/** {@link InitBackendOptions} with every default filled in. */
export interface ResolvedInitBackendOptions {
  backend: BackendName
  deterministic: boolean
}
