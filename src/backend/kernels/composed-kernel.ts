import * as tf from '@tensorflow/tfjs'

/** The backend object a kernel receives; only reference counting is used here. */
interface RefCountedBackend {
  incRef(dataId: tf.DataId): void
}

/** A kernel body written with tfjs ops on real tensors instead of raw TensorInfo. */
export type ComposedKernelBody = (
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
) => tf.Tensor

/**
 * Registers `body` as `kernelName` on `backendName`, replacing any kernel already there.
 * The body runs tfjs ops (which the engine does not tape inside a kernel); its inputs are wrapped
 * as tensors that share the caller's data, and its single output is handed to the engine.
 * Written by hand because tfjs offers no public way to compose a kernel from ops.
 */
export function registerComposedKernel(args: {
  kernelName: string
  backendName: string
  body: ComposedKernelBody
}): void {
  const { kernelName, backendName, body } = args
  if (tf.getKernel(kernelName, backendName) !== undefined) {
    tf.unregisterKernel(kernelName, backendName)
  }
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: ({ inputs, attrs, backend }) => runComposedKernel({ inputs, attrs, backend, body }),
  })
}

/**
 * Runs `body` as a kernel: wraps the kernel's inputs as tensors, runs it in a tidy and returns the
 * output's data to the engine. For kernels that dispatch between a native path and a composed one.
 */
export function runComposedKernel(args: {
  inputs: tf.NamedTensorInfoMap
  attrs?: tf.NamedAttrMap
  backend: unknown
  body: ComposedKernelBody
}): tf.TensorInfo {
  const { inputs, attrs, body } = args
  const backend = args.backend as RefCountedBackend
  const wrapped = wrapInputs(inputs, backend)
  try {
    const out = tf.tidy(() => body(wrapped, (attrs ?? {}) as Record<string, unknown>))
    // The engine wraps the returned data in a new tensor: keep the data alive past our dispose.
    backend.incRef(out.dataId)
    const info = { dataId: out.dataId, shape: out.shape, dtype: out.dtype }
    out.dispose()
    return info
  } finally {
    for (const t of Object.values(wrapped)) t.dispose()
  }
}

function wrapInputs(
  inputs: tf.NamedTensorInfoMap,
  backend: RefCountedBackend,
): Record<string, tf.Tensor> {
  const engine = tf.engine()
  const wrapped: Record<string, tf.Tensor> = {}
  for (const [name, info] of Object.entries(inputs)) {
    if (info === undefined) continue
    // Each wrapper owns one reference, released when it is disposed.
    backend.incRef(info.dataId)
    wrapped[name] = engine.makeTensorFromTensorInfo(info)
  }
  return wrapped
}
