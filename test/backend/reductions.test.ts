import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { afterAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { planReduction } from '../../src/backend/kernels/reduce.js'
import { randomArray, sizeOf } from './arrays.js'

afterAll(async () => {
  await initBackend({ backend: 'wasm' })
})

interface Reduction {
  shape: number[]
  axes: number[]
  keepDims: boolean
  mean: boolean
}

/** The reduction's values, and the same reduction of |x|: the scale float32 rounding works at. */
async function reduced(
  backend: 'wasm' | 'cpu',
  r: Reduction,
): Promise<{ values: Float32Array; scale: Float32Array; shape: number[] }> {
  await initBackend({ backend })
  const x = tf.tensor(randomArray(sizeOf(r.shape), `reduce:${r.shape}`), r.shape)
  const reduce = (t: tf.Tensor) =>
    r.mean ? tf.mean(t, r.axes, r.keepDims) : tf.sum(t, r.axes, r.keepDims)
  const [y, magnitude] = [reduce(x), reduce(tf.abs(x))]
  const out = {
    values: (await y.data()) as Float32Array,
    scale: (await magnitude.data()) as Float32Array,
    shape: y.shape,
  }
  tf.dispose([x, y, magnitude])
  return out
}

/** Largest error of each reduced value against the reduction of |x| over the same elements. */
function scaledError(
  actual: Float32Array,
  expected: { values: Float32Array; scale: Float32Array },
) {
  expect(actual.length).toBe(expected.values.length)
  let worst = 0
  for (const [i, value] of expected.values.entries()) {
    const scale = Math.max(expected.scale[i]!, 1e-30)
    worst = Math.max(worst, Math.abs(actual[i]! - value) / scale)
  }
  return worst
}

describe('planReduction', () => {
  test('a leading block of axes becomes [outer, size, inner]', () => {
    expect(planReduction([64, 32, 32, 16], [0, 1, 2], false)).toEqual({
      outer: 1,
      size: 65536,
      inner: 16,
      outShape: [16],
    })
    expect(planReduction([8, 5, 7, 3], [-3, -2], true)).toEqual({
      outer: 8,
      size: 35,
      inner: 3,
      outShape: [8, 1, 1, 3],
    })
  })

  test('leaves innermost, scattered and empty reductions to the native kernel', () => {
    expect(planReduction([4, 5, 6], [1, 2], false)).toBeUndefined()
    expect(planReduction([4, 5, 6], [0, 2], false)).toBeUndefined()
    expect(planReduction([4, 0, 6], [0, 1], false)).toBeUndefined()
  })
})

describe('Sum and Mean on wasm (a pooling where the axes are outer)', () => {
  const reductionCase = fc
    .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 5 })
    .chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        axes: fc.subarray([...shape.keys()], { minLength: 1 }),
        keepDims: fc.boolean(),
        mean: fc.boolean(),
      }),
    )

  test('property: equal cpu within 1e-5 of the sum of |x| for any shape, axes and keepDims', async () => {
    await fc.assert(
      fc.asyncProperty(reductionCase, async (r) => {
        const cpu = await reduced('cpu', r)
        const wasm = await reduced('wasm', r)
        expect(wasm.shape).toEqual(cpu.shape)
        // Against |x| summed, not the result: a sum that cancels to ~0 keeps its rounding error.
        expect(scaledError(wasm.values, cpu)).toBeLessThanOrEqual(1e-5)
      }),
      { numRuns: 60 },
    )
  })

  test('the batchnorm pattern: a whole NHWC activation per channel', async () => {
    const r = { shape: [16, 12, 12, 32], axes: [0, 1, 2], keepDims: false, mean: false }
    const cpu = await reduced('cpu', r)
    expect(scaledError((await reduced('wasm', r)).values, cpu)).toBeLessThanOrEqual(1e-5)
  })

  test('runs as a pooling, not as the native transpose-then-sum', async () => {
    await initBackend({ backend: 'wasm' })
    const x = tf.ones([4, 3, 2])
    const profile = await tf.profile(() => tf.sum(x, [0, 1]))
    const kernels = profile.kernels.map((k) => k.name)
    expect(kernels).toContain('AvgPool')
    expect(kernels).not.toContain('Transpose')
    tf.dispose(x)
  })
})

describe('Identity on wasm', () => {
  test('shares its input data, and the copy outlives the input', async () => {
    await initBackend({ backend: 'wasm' })
    const before = tf.memory().numDataBuffers
    const x = tf.tensor1d([1, 2, 3])
    const y = tf.clone(x)
    expect(y.dataId).toBe(x.dataId)
    expect(tf.memory().numDataBuffers - before).toBe(1)
    x.dispose()
    expect(Array.from(await y.data())).toEqual([1, 2, 3])
    y.dispose()
    expect(tf.memory().numDataBuffers).toBe(before)
  })
})
