import * as tf from '@tensorflow/tfjs'
import { overrideKernel } from './override.js'

/**
 * Replaces wasm's BatchMatMul with one that transposes its operands explicitly when asked to.
 * The native kernel runs a transposed product about 50x slower than a plain one (DESIGN.md:
 * ~0.8 against ~40 GFLOP/s), and dense-layer gradients always ask for one; a separate Transpose
 * costs one pass over the operand. Plain products go straight to the native kernel.
 */
export function registerFastTransposedMatMul(backendName: string): void {
  overrideKernel({
    kernelName: 'BatchMatMul',
    backendName,
    route: (_, attrs) => (attrs.transposeA || attrs.transposeB ? multiplyTransposed : undefined),
  })
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
