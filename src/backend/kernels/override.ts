import * as tf from '@tensorflow/tfjs'
import { type ComposedKernelBody, runComposedKernel } from './composed-kernel.js'

/**
 * Picks a composed body for one call of a kernel, or undefined to let the native kernel run it.
 * Receives the kernel's raw inputs (TensorInfo) and attributes.
 */
export type ComposedRoute = (
  inputs: tf.NamedTensorInfoMap,
  attrs: Record<string, unknown>,
) => ComposedKernelBody | undefined

/** Kernel functions this module registered, so that a second call does not wrap them again. */
const ourKernels = new WeakSet<tf.KernelFunc>()

/**
 * Replaces `kernelName` on `backendName` with a dispatcher: calls that `route` claims run the
 * composed body it returns, all others the native kernel. Safe to call more than once; does
 * nothing when the backend has no such kernel.
 */
export function overrideKernel(args: {
  kernelName: string
  backendName: string
  route: ComposedRoute
}): void {
  const native = tf.getKernel(args.kernelName, args.backendName)
  if (native === undefined || ourKernels.has(native.kernelFunc)) return

  const kernelFunc: tf.KernelFunc = (params) => {
    const body = args.route(params.inputs, (params.attrs ?? {}) as Record<string, unknown>)
    if (body === undefined) return native.kernelFunc(params)
    return runComposedKernel({ ...params, body })
  }
  ourKernels.add(kernelFunc)
  tf.unregisterKernel(args.kernelName, args.backendName)
  tf.registerKernel({ ...native, kernelFunc })
}
