import * as tf from '@tensorflow/tfjs'
import { overrideKernel } from './override.js'

/** XNNPACK's broadcasting add handles at most this many dimensions. */
const maxBroadcastRank = 6

/**
 * Replaces wasm's Tile with a broadcast where one exists. Tiling x by reps equals broadcasting x,
 * reshaped with a 1 before every repeated axis, to [rep, size] pairs; XNNPACK's broadcasting add
 * does that at memory speed, while the native Tile walks indices one element at a time. BatchNorm
 * gradients tile per-channel vectors to the full activation size every step (DESIGN.md: a
 * broadcast in place of Tile took a training step from 55 to 84 img/s).
 */
export function registerFastTile(backendName: string): void {
  overrideKernel({
    kernelName: 'Tile',
    backendName,
    route: (inputs, attrs) => {
      const x = inputs.x as tf.TensorInfo
      const plan = planBroadcast(x.shape, attrs.reps as number[])
      if (x.dtype !== 'float32' || plan === undefined) return undefined
      return (wrapped) => broadcastTile(wrapped.x!, plan)
    },
  })
}

/** Shapes of a tile as a broadcast: x reshaped to `from`, broadcast to `to`, reshaped to `out`. */
export interface BroadcastPlan {
  from: number[]
  to: number[]
  out: number[]
}

/** The broadcast equal to tiling `shape` by `reps`, or undefined when it needs too many axes. */
export function planBroadcast(
  shape: readonly number[],
  reps: readonly number[],
): BroadcastPlan | undefined {
  const from: number[] = []
  const to: number[] = []
  for (const [axis, size] of shape.entries()) {
    const rep = reps[axis] ?? 1
    if (rep > 1 && size > 1) from.push(1)
    if (rep > 1 && size > 1) to.push(rep)
    from.push(rep > 1 && size === 1 ? 1 : size)
    to.push(rep > 1 && size === 1 ? rep : size)
  }
  if (to.length > maxBroadcastRank) return undefined
  return { from, to, out: shape.map((size, axis) => size * (reps[axis] ?? 1)) }
}

function broadcastTile(x: tf.Tensor, plan: BroadcastPlan): tf.Tensor {
  const spread = tf.add(tf.zeros(plan.to), tf.reshape(x, plan.from))
  return tf.reshape(spread, plan.out)
}
