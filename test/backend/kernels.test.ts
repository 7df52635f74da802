import * as tf from '@tensorflow/tfjs'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { randomArray, relativeError, sizeOf } from './arrays.js'

/**
 * The wasm training kernels against tfjs' cpu backend, which implements every gradient natively.
 * Data is made per backend from plain arrays: a tensor read after a backend switch can be garbage.
 */

type Padding = 'same' | 'valid'

interface ConvCase {
  input: [number, number, number, number]
  /** [kh, kw, in, out] for conv2d; [kh, kw, in, multiplier] for depthwise. */
  filter: [number, number, number, number]
  stride: number
  pad: Padding
  depthwise: boolean
}

/** Gradients of sum(conv(x, w) * r) with respect to x and w, on the given backend. */
async function convGrads(
  backend: 'wasm' | 'cpu',
  c: ConvCase,
): Promise<[Float32Array, Float32Array]> {
  await initBackend({ backend })
  const before = tf.memory().numTensors
  const x = tf.tensor4d(randomArray(sizeOf(c.input), 'x'), c.input)
  const w = tf.tensor4d(randomArray(sizeOf(c.filter), 'w'), c.filter)
  const loss = (xv: tf.Tensor4D, wv: tf.Tensor4D) => {
    const y = c.depthwise
      ? tf.depthwiseConv2d(xv, wv, c.stride, c.pad)
      : tf.conv2d(xv, wv, c.stride, c.pad)
    return tf.sum(tf.mul(y, tf.tensor(randomArray(y.size, 'r'), y.shape)))
  }
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
    loss(a as tf.Tensor4D, b as tf.Tensor4D),
  )([x, w])
  const out: [Float32Array, Float32Array] = [
    (await dx!.data()) as Float32Array,
    (await dw!.data()) as Float32Array,
  ]
  tf.dispose([x, w, dx!, dw!])
  expect(tf.memory().numTensors).toBe(before)
  return out
}

async function expectConvGradsMatch(c: ConvCase): Promise<void> {
  const [cpuDx, cpuDw] = await convGrads('cpu', c)
  const [wasmDx, wasmDw] = await convGrads('wasm', c)
  const label = JSON.stringify(c)
  expect(relativeError(wasmDx, cpuDx), `input gradient ${label}`).toBeLessThanOrEqual(1e-4)
  expect(relativeError(wasmDw, cpuDw), `filter gradient ${label}`).toBeLessThanOrEqual(1e-4)
}

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
})

afterAll(async () => {
  await initBackend({ backend: 'wasm' })
})

describe('conv2d gradients on wasm match cpu', () => {
  const grid: ConvCase[] = []
  for (const k of [1, 3, 7]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        grid.push({ input: [2, 9, 11, 3], filter: [k, k, 3, 5], stride, pad, depthwise: false })
      }
    }
  }
  test.each(grid)('k=$filter.0 stride=$stride $pad', async (c) => {
    await expectConvGradsMatch(c)
  })

  const stridedPointwise: ConvCase[] = [
    { input: [3, 8, 6, 5], filter: [1, 1, 5, 7], stride: 2, pad: 'same', depthwise: false },
    { input: [2, 7, 9, 4], filter: [1, 1, 4, 3], stride: 3, pad: 'valid', depthwise: false },
  ]
  test.each(stridedPointwise)(
    'strided 1x1 (a ResNet shortcut) $input stride=$stride',
    async (c) => {
      await expectConvGradsMatch(c)
    },
  )

  test('strided 1x1 gradients are matrix products, with no convolution', async () => {
    await initBackend({ backend: 'wasm' })
    const x = tf.ones([1, 6, 6, 4]) as tf.Tensor4D
    const dy = tf.ones([1, 3, 3, 8]) as tf.Tensor4D
    const profile = await tf.profile(() =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'), dy)),
      )([x, tf.ones([1, 1, 4, 8])]),
    )
    const names = profile.kernels.map((k) => k.name)
    expect(names).toContain('BatchMatMul')
    // Only the forward pass convolves: neither gradient computes taps the stride skips.
    expect(names.filter((name) => name === 'Conv2D' || name === 'FusedConv2D')).toHaveLength(1)
    tf.dispose([x, dy, ...(profile.result as tf.Tensor[])])
  })

  test('the input gradient runs the composed kernel, not the slow native one', async () => {
    await initBackend({ backend: 'wasm' })
    const dy = tf.ones([1, 4, 4, 2]) as tf.Tensor4D
    const w = tf.ones([3, 3, 3, 2]) as tf.Tensor4D
    const profile = await tf.profile(() => tf.conv2dTranspose(dy, w, [1, 4, 4, 3], 1, 'same'))
    // The composition convolves dy with the rotated filter: a forward Conv2D runs inside it.
    expect(profile.kernels.map((k) => k.name)).toEqual(
      expect.arrayContaining(['Conv2DBackpropInput', 'Conv2D']),
    )
    tf.dispose([dy, w])
  })

  test('non-square filter, even sizes, many channels', async () => {
    await expectConvGradsMatch({
      input: [3, 16, 12, 8],
      filter: [3, 1, 8, 16],
      stride: 2,
      pad: 'same',
      depthwise: false,
    })
  })
})

describe('depthwise conv2d gradients on wasm match cpu', () => {
  const grid: ConvCase[] = []
  for (const k of [1, 3, 7]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        grid.push({ input: [2, 10, 9, 3], filter: [k, k, 3, 1], stride, pad, depthwise: true })
      }
    }
  }
  test.each(grid)('k=$filter.0 stride=$stride $pad', async (c) => {
    await expectConvGradsMatch(c)
  })

  test('channel multiplier 2', async () => {
    await expectConvGradsMatch({
      input: [2, 8, 7, 5],
      filter: [3, 3, 5, 2],
      stride: 2,
      pad: 'same',
      depthwise: true,
    })
  })
})

describe('property: random geometries', () => {
  const geometry = fc.record({
    batch: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 7, max: 13 }),
    width: fc.integer({ min: 7, max: 13 }),
    channels: fc.integer({ min: 1, max: 6 }),
    out: fc.integer({ min: 1, max: 6 }),
    kernel: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.constantFrom<Padding>('same', 'valid'),
    depthwise: fc.boolean(),
  })

  test('wasm gradients stay within 1e-4 of cpu', async () => {
    await fc.assert(
      fc.asyncProperty(geometry, async (g) => {
        const outChannels = g.depthwise ? Math.min(g.out, 2) : g.out
        await expectConvGradsMatch({
          input: [g.batch, g.height, g.width, g.channels],
          filter: [g.kernel, g.kernel, g.channels, outChannels],
          stride: g.stride,
          pad: g.pad,
          depthwise: g.depthwise,
        })
      }),
      { numRuns: 25 },
    )
  })
})

describe('transposed matMul on wasm', () => {
  async function denseGrads(backend: 'wasm' | 'cpu'): Promise<Float32Array[]> {
    await initBackend({ backend })
    const x = tf.tensor2d(randomArray(7 * 13, 'x'), [7, 13])
    const w = tf.tensor2d(randomArray(13 * 5, 'w'), [13, 5])
    const r = tf.tensor2d(randomArray(7 * 5, 'r'), [7, 5])
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), r)),
    )([x, w])
    const batched = tf.matMul(tf.reshape(w, [1, 13, 5]), tf.reshape(x, [1, 7, 13]), true, true)
    const out = await Promise.all(
      [...grads, batched].map(async (t) => (await t.data()) as Float32Array),
    )
    tf.dispose([x, w, r, batched, ...grads])
    return out
  }

  test('dense-layer gradients (transposeA, transposeB) and a batched product match cpu', async () => {
    const cpu = await denseGrads('cpu')
    const wasm = await denseGrads('wasm')
    for (const [i, expected] of cpu.entries()) {
      expect(relativeError(wasm[i]!, expected)).toBeLessThanOrEqual(1e-5)
    }
  })
})

describe('dilated convolutions (direct kernel calls)', () => {
  // cpu ignores dilation in these kernels, so the reference is the undilated gradient of the
  // equivalent filter with zeros between the taps, sampled at the taps.
  const dilation = 2
  const k = 3
  const span = (k - 1) * dilation + 1

  function spreadFilter(values: Float32Array, shape: number[]): Float32Array {
    const [, , cin, cout] = shape as [number, number, number, number]
    const out = new Float32Array(span * span * cin * cout)
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const from = (i * k + j) * cin * cout
        const to = (i * dilation * span + j * dilation) * cin * cout
        out.set(values.subarray(from, from + cin * cout), to)
      }
    }
    return out
  }

  function sampleTaps(values: Float32Array, cin: number, cout: number): Float32Array {
    const out = new Float32Array(k * k * cin * cout)
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const from = (i * dilation * span + j * dilation) * cin * cout
        out.set(values.subarray(from, from + cin * cout), (i * k + j) * cin * cout)
      }
    }
    return out
  }

  async function run(args: {
    backend: 'wasm' | 'cpu'
    kernel: string
    inputs: Record<string, { shape: number[]; values: Float32Array }>
    attrs: Record<string, unknown>
  }): Promise<Float32Array> {
    await initBackend({ backend: args.backend })
    const inputs = Object.fromEntries(
      Object.entries(args.inputs).map(([name, v]) => [name, tf.tensor(v.values, v.shape)]),
    )
    const out = tf
      .engine()
      .runKernel(args.kernel, inputs, args.attrs as tf.NamedAttrMap) as tf.Tensor
    const values = (await out.data()) as Float32Array
    tf.dispose([out, ...Object.values(inputs)])
    return values
  }

  const cases = [
    { depthwise: false, cin: 3, cout: 4 },
    { depthwise: true, cin: 3, cout: 2 },
  ]
  test.each(cases)(
    'depthwise=$depthwise filter and input gradients',
    async ({ depthwise, cin, cout }) => {
      const prefix = depthwise ? 'DepthwiseConv2dNative' : 'Conv2D'
      const x = { shape: [2, 11, 10, cin], values: randomArray(2 * 11 * 10 * cin, 'x') }
      const outChannels = depthwise ? cin * cout : cout
      const dy = {
        shape: [2, 11, 10, outChannels],
        values: randomArray(2 * 110 * outChannels, 'dy'),
      }
      const filterShape = [k, k, cin, cout]
      const filter = { shape: filterShape, values: randomArray(k * k * cin * cout, 'w') }
      const wide = {
        shape: [span, span, cin, cout],
        values: spreadFilter(filter.values, filterShape),
      }
      const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' }

      const kernelF = `${prefix}BackpropFilter`
      const dwWasm = await run({
        backend: 'wasm',
        kernel: kernelF,
        inputs: { x, dy },
        attrs: { ...attrs, dilations: dilation, filterShape },
      })
      const dwCpu = await run({
        backend: 'cpu',
        kernel: kernelF,
        inputs: { x, dy },
        attrs: { ...attrs, dilations: 1, filterShape: wide.shape },
      })
      expect(relativeError(dwWasm, sampleTaps(dwCpu, cin, cout))).toBeLessThanOrEqual(1e-4)

      const kernelI = `${prefix}BackpropInput`
      const dxWasm = await run({
        backend: 'wasm',
        kernel: kernelI,
        inputs: { dy, filter },
        attrs: { ...attrs, dilations: dilation, inputShape: x.shape },
      })
      const dxCpu = await run({
        backend: 'cpu',
        kernel: kernelI,
        inputs: { dy, filter: wide },
        attrs: { ...attrs, dilations: 1, inputShape: x.shape },
      })
      expect(relativeError(dxWasm, dxCpu)).toBeLessThanOrEqual(1e-4)
    },
  )
})

describe('Tile on wasm (a broadcast where one fits)', () => {
  async function tiled(
    backend: 'wasm' | 'cpu',
    shape: number[],
    reps: number[],
  ): Promise<Float32Array> {
    await initBackend({ backend })
    const x = tf.tensor(randomArray(sizeOf(shape), 'tile'), shape)
    const y = tf.tile(x, reps)
    const values = (await y.data()) as Float32Array
    tf.dispose([x, y])
    return values
  }

  test('property: equals cpu for any shape and reps', async () => {
    const shapeAndReps = fc
      .array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 })), {
        minLength: 1,
        maxLength: 5,
      })
      .map((axes) => ({ shape: axes.map(([s]) => s), reps: axes.map(([, r]) => r) }))
    await fc.assert(
      fc.asyncProperty(shapeAndReps, async ({ shape, reps }) => {
        const expected = await tiled('cpu', shape, reps)
        expect(await tiled('wasm', shape, reps)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  test('the batchnorm pattern: a channel vector tiled to a full activation', async () => {
    const shape = [1, 1, 1, 5]
    const reps = [3, 4, 2, 1]
    expect(await tiled('wasm', shape, reps)).toEqual(await tiled('cpu', shape, reps))
  })
})
