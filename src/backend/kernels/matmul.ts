import * as tf from '@tensorflow/tfjs'
import { runComposedKernel } from './composed-kernel.js'

/**
 * Replaces wasm's BatchMatMul with one that transposes its operands explicitly when asked to.
 * The native kernel runs a transposed product about 50x slower than a plain one (DESIGN.md:
 * ~0.8 against ~40 GFLOP/s), and dense-layer gradients always ask for one; a separate Transpose
 * costs one pass over the operand. Plain products go straight to the native kernel.
 */
export function registerFastTransposedMatMul(backendName: string): void {
  const native = tf.getKernel('BatchMatMul', backendName)
  if (native === undefined || isOurs(native.kernelFunc)) return

  const kernelFunc: tf.KernelFunc = (params) => {
    const { transposeA, transposeB } = params.attrs as { transposeA: boolean; transposeB: boolean }
    if (!transposeA && !transposeB) return native.kernelFunc(params)
    return runComposedKernel({ ...params, body: multiplyTransposed })
  }
  ourKernels.add(kernelFunc)
  tf.unregisterKernel('BatchMatMul', backendName)
  tf.registerKernel({ ...native, kernelFunc })
}

const ourKernels = new WeakSet<tf.KernelFunc>()

function isOurs(kernelFunc: tf.KernelFunc): boolean {
  return ourKernels.has(kernelFunc)
}

function multiplyTransposed(
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor {
  const a = attrs.transposeA ? swapLastAxes(inputs.a!) : inputs.a!
  const b = attrs.transposeB ? swapLastAxes(inputs.b!) : inputs.b!
  return tf.matMul(a, b)
}

function swapLastAxes(t: tf.Tensor): tf.Tensor {
  const perm = t.shape.map((_, i) => i)
  const rank = perm.length
  perm[rank - 2] = rank - 1
  perm[rank - 1] = rank - 2
  return tf.transpose(t, perm)
}
