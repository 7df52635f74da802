import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import fc from 'fast-check'
import seedrandom from 'seedrandom'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type AugmentParams,
  applyAugmentParams,
  augmentBatch,
  DRAWS_PER_IMAGE,
  drawAugmentParams,
} from '../../src/data/index.js'
import { readFashionMnist } from './fashion-mnist.js'

/** Real images: Fashion-MNIST test images, grey tinted per channel to make them RGB, 28x28. */
async function realBatch(n: number, offset = 0): Promise<tf.Tensor4D> {
  const { images } = await readFashionMnist(offset + n)
  const rgb = new Float32Array(n * 28 * 28 * 3)
  for (let i = 0; i < n; i++) {
    const grey = images[offset + i] as Uint8Array
    for (let p = 0; p < 784; p++) {
      const v = grey[p] as number
      rgb.set([v, 255 - v, (v * 7 + p) % 256], (i * 784 + p) * 3)
    }
  }
  return tf.tensor4d(rgb, [n, 28, 28, 3])
}

const NONE: AugmentParams = {
  flipHorizontal: false,
  flipVertical: false,
  angleRad: 0,
  contrastFactor: 1,
  shiftXPx: 0,
  shiftYPx: 0,
  zoomScale: 1,
}

const augmentArb = fc.record({
  flip: fc.constantFrom(false, 'horizontal', 'vertical', 'both') as fc.Arbitrary<
    false | 'horizontal' | 'vertical' | 'both'
  >,
  rotationDeg: fc.double({ min: 0, max: 45, noNaN: true }),
  contrast: fc.double({ min: 0, max: 1, noNaN: true }),
  translate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  zoom: fc.double({ min: 0, max: 0.3, noNaN: true }),
})

/** Random batches of shape [n, h, w, 3] with float32 pixel values in 0..255. */
const randomBatchArb = fc
  .tuple(
    fc.integer({ min: 1, max: 4 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 12 }),
  )
  .chain(([n, h, w]) =>
    fc
      .float32Array({
        min: 0,
        max: 255,
        noDefaultInfinity: true,
        noNaN: true,
        minLength: n * h * w * 3,
        maxLength: n * h * w * 3,
      })
      .map((pixels) => ({ pixels, shape: [n, h, w, 3] as [number, number, number, number] })),
  )

/** Every way of asking for no augmentation: nothing given, or each strength given as zero. */
const zeroStrengthArb = fc.constantFrom(
  {},
  { flip: false as const },
  { flip: false as const, rotationDeg: 0, contrast: 0, translate: 0, zoom: 0 },
)

/** Runs `fn` with tensors freed afterwards, returning plain arrays. */
function values(t: tf.Tensor): Float32Array {
  const data = t.dataSync() as Float32Array
  t.dispose()
  return data
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`augmentBatch on ${backend}`, () => {
    let images: tf.Tensor4D

    beforeAll(async () => {
      await tf.setBackend(backend)
      await tf.ready()
      images = await realBatch(6)
    })
    afterAll(() => images.dispose())

    test('keeps shape and 0..255 range for any config and seed (fast-check)', () => {
      fc.assert(
        fc.property(augmentArb, fc.integer(), (augment, seed) => {
          const out = augmentBatch({ images, augment, rng: seedrandom(String(seed)) })
          expect(out.shape).toEqual(images.shape)
          expect(out.dtype).toBe('float32')
          const data = values(out)
          expect(Math.min(...data)).toBeGreaterThanOrEqual(0)
          expect(Math.max(...data)).toBeLessThanOrEqual(255)
        }),
        { numRuns: 15 },
      )
    })

    test('is the identity at zero strength for any seed and image batch, still drawing 7 numbers per image (fast-check)', () => {
      fc.assert(
        fc.property(randomBatchArb, zeroStrengthArb, fc.integer(), (batch, augment, seed) => {
          const input = tf.tensor4d(batch.pixels, batch.shape)
          const seeded = seedrandom(String(seed))
          let draws = 0
          const rng = () => {
            draws++
            return seeded()
          }
          const out = values(augmentBatch({ images: input, augment, rng }))
          input.dispose()
          expect(out).toEqual(batch.pixels)
          expect(draws).toBe(batch.shape[0] * DRAWS_PER_IMAGE)
        }),
        { numRuns: 25 },
      )
    })

    test('same rng stream gives the same output; another seed differs (fast-check)', () => {
      fc.assert(
        fc.property(augmentArb, fc.integer(), (augment, seed) => {
          const a = values(augmentBatch({ images, augment, rng: seedrandom(String(seed)) }))
          const b = values(augmentBatch({ images, augment, rng: seedrandom(String(seed)) }))
          expect(a).toEqual(b)
        }),
        { numRuns: 10 },
      )
      const augment = { rotationDeg: 20, contrast: 0.3 }
      const a = values(augmentBatch({ images, augment, rng: seedrandom('1') }))
      const b = values(augmentBatch({ images, augment, rng: seedrandom('2') }))
      expect(a).not.toEqual(b)
    })

    test('a flip applied twice is the identity, exactly (fast-check over which images flip)', () => {
      fc.assert(
        fc.property(
          fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
          fc.boolean(),
          (h, v) => {
            const params = h.map((flip) => ({ ...NONE, flipHorizontal: flip, flipVertical: v }))
            const once = applyAugmentParams({ images, params })
            const twice = applyAugmentParams({ images: once, params })
            once.dispose()
            expect(values(twice)).toEqual(images.dataSync())
          },
        ),
        { numRuns: 8 },
      )
    })

    test('horizontal and vertical flips match tf.reverse on the flipped images only', () => {
      const params = [0, 1, 2, 3, 4, 5].map((i) => ({ ...NONE, flipHorizontal: i % 2 === 0 }))
      const flipped = values(applyAugmentParams({ images, params }))
      const reversed = tf.reverse(images, 2)
      const expected = values(
        tf.where(tf.tensor4d([1, 0, 1, 0, 1, 0], [6, 1, 1, 1]).cast('bool'), reversed, images),
      )
      reversed.dispose()
      expect(flipped).toEqual(expected)

      const vertical = values(
        applyAugmentParams({ images, params: params.map(() => ({ ...NONE, flipVertical: true })) }),
      )
      expect(vertical).toEqual(values(tf.reverse(images, 1)))
    })

    test('a 90 degree rotation is a transpose plus a reverse (checks the matrix convention)', () => {
      const params = Array.from({ length: 6 }, () => ({ ...NONE, angleRad: Math.PI / 2 }))
      const rotated = values(applyAugmentParams({ images, params }))
      // Output (x, y) samples input (cx - (y - cy), cy + (x - cx)) = (27 - y, x) on a 28x28 image.
      const expected = values(tf.tidy(() => tf.reverse(tf.transpose(images, [0, 2, 1, 3]), 1)))
      const worst = rotated.reduce(
        (m, v, i) => Math.max(m, Math.abs(v - (expected[i] as number))),
        0,
      )
      expect(worst).toBeLessThan(1e-3)
    })

    test('an integer translation shifts pixels by that many columns', () => {
      const params = Array.from({ length: 6 }, () => ({ ...NONE, shiftXPx: 3 }))
      const shifted = applyAugmentParams({ images, params })
      const moved = values(shifted.slice([0, 0, 3, 0], [6, 28, 25, 3]))
      shifted.dispose()
      expect(moved).toEqual(values(images.slice([0, 0, 0, 0], [6, 28, 25, 3])))
    })

    test('zoom in by 2 is a bilinear crop of the centre half (tf.image.cropAndResize)', () => {
      const params = Array.from({ length: 6 }, () => ({ ...NONE, zoomScale: 2 }))
      const zoomed = values(applyAugmentParams({ images, params }))
      // Output pixel x samples input 13.5 + (x - 13.5) / 2 = 6.75 + x / 2: a crop from 6.75 to
      // 20.25 resized to 28, which cropAndResize samples at the same points.
      const [from, to] = [6.75 / 27, 20.25 / 27]
      const boxes = Array.from({ length: 6 }, () => [from, from, to, to])
      const crop = tf.image.cropAndResize(images, boxes, [0, 1, 2, 3, 4, 5], [28, 28], 'bilinear')
      const expected = values(crop)
      const worst = zoomed.reduce(
        (m, v, i) => Math.max(m, Math.abs(v - (expected[i] as number))),
        0,
      )
      expect(worst).toBeLessThan(1e-2)
    })

    test('leaves no tensor behind but its output', () => {
      const before = tf.memory().numTensors
      const augment = { flip: 'both' as const, rotationDeg: 10, contrast: 0.2, zoom: 0.1 }
      const out = augmentBatch({ images, augment, rng: seedrandom('leak') })
      expect(tf.memory().numTensors).toBe(before + 1)
      out.dispose()
      const same = augmentBatch({ images, augment: {}, rng: seedrandom('leak') })
      expect(tf.memory().numTensors).toBe(before + 1)
      same.dispose()
    })

    test('random contrast draws one factor per image within [1 - x, 1 + x]', () => {
      const params = drawAugmentParams({
        n: 200,
        height: 28,
        width: 28,
        augment: { contrast: 0.4 },
        rng: seedrandom('c'),
      })
      const factors = params.map((p) => p.contrastFactor)
      expect(Math.min(...factors)).toBeGreaterThanOrEqual(0.6)
      expect(Math.max(...factors)).toBeLessThanOrEqual(1.4)
      expect(new Set(factors).size).toBe(200)
      expect(params.every((p) => !p.flipHorizontal && p.angleRad === 0)).toBe(true)
    })
  })
}

test('cpu and wasm give the same augmentation for the same seed', async () => {
  const augment = {
    flip: 'both' as const,
    rotationDeg: 15,
    contrast: 0.2,
    translate: 0.1,
    zoom: 0.1,
  }
  const run = async (backend: string) => {
    await tf.setBackend(backend)
    const images = await realBatch(4, 10)
    const out = values(augmentBatch({ images, augment, rng: seedrandom('same') }))
    images.dispose()
    return out
  }
  const cpu = await run('cpu')
  const wasm = await run('wasm')
  const worst = cpu.reduce((m, v, i) => Math.max(m, Math.abs(v - (wasm[i] as number))), 0)
  expect(worst).toBeLessThan(0.05)
})

test('rejects out-of-range strengths, naming the option and value', () => {
  const images = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D
  const rng = seedrandom('x')
  expect(() => augmentBatch({ images, augment: { zoom: 1.5 }, rng })).toThrow(/augment\.zoom.*1\.5/)
  expect(() => augmentBatch({ images, augment: { rotationDeg: -5 }, rng })).toThrow(/-5/)
  const grey = tf.zeros([1, 4, 4, 1]) as tf.Tensor4D
  expect(() => augmentBatch({ images: grey, augment: {}, rng })).toThrow(/\[1, 4, 4, 1\]/)
  tf.dispose([images, grey])
})
