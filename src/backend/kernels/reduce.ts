import * as tf from '@tensorflow/tfjs'
import { overrideKernel } from './override.js'

/** A reduction over one contiguous block of axes, seen as [outer, size, inner] elements. */
export interface ReductionPlan {
  outer: number
  size: number
  inner: number
  outShape: number[]
}

/**
 * The plan of reducing `shape` over `axis` as [outer, size, inner], or undefined where the native
 * kernel is as fast (the axes are already innermost) or the axes are not one contiguous block.
 */
export function planReduction(
  shape: readonly number[],
  axis: number | number[] | undefined,
  keepDims: boolean,
): ReductionPlan | undefined {
  const axes = [...new Set(tf.util.parseAxisParam(axis ?? [...shape.keys()], [...shape]))].sort(
    (a, b) => a - b,
  )
  const first = axes[0]
  const last = axes.at(-1)
  if (first === undefined || last === undefined || last - first + 1 !== axes.length) return
  if (shape.some((size) => size === 0)) return
  const inner = product(shape.slice(last + 1))
  if (inner === 1) return

  const kept = shape.flatMap((size, i) => (i < first || i > last ? [size] : keepDims ? [1] : []))
  return {
    outer: product(shape.slice(0, first)),
    size: product(shape.slice(first, last + 1)),
    inner,
    outShape: kept,
  }
}

function product(sizes: readonly number[]): number {
  return sizes.reduce((a, b) => a * b, 1)
}

/**
 * Replaces wasm's Sum and Mean, where the reduced axes are not the innermost ones, with an average
 * pooling whose window spans the reduced axes. The native kernels first transpose the reduced axes
 * inwards, element by element; BatchNorm statistics and gradients reduce NHWC activations over
 * [N, H, W] at every step. Measured here on [64, 32, 32, 16] (fresh data each call): native Sum
 * 7.8 ms, the pooling 0.23 ms. A product with a row of ones was tried and is slower: XNNPACK packs
 * the activation as a weight matrix on every call.
 */
export function registerFastReductions(backendName: string): void {
  for (const kernelName of ['Sum', 'Mean']) {
    overrideKernel({
      kernelName,
      backendName,
      route: (inputs, attrs) => {
        const x = inputs.x as tf.TensorInfo
        if (x.dtype !== 'float32') return undefined
        const plan = planReduction(x.shape, attrs.axis as number[], attrs.keepDims === true)
        if (plan === undefined) return undefined
        const mean = kernelName === 'Mean'
        return (wrapped) => reduceByPooling(wrapped.x!, plan, mean)
      },
    })
  }
}

function reduceByPooling(x: tf.Tensor, plan: ReductionPlan, mean: boolean): tf.Tensor {
  const { outer, size, inner } = plan
  const rows = tf.reshape(x, [outer, size, 1, inner]) as tf.Tensor4D
  const average = tf.avgPool(rows, [size, 1], 1, 'valid')
  return tf.reshape(mean ? average : tf.mul(average, size), plan.outShape)
}
