import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { adjustContrast, adjustContrastPerImage, toModelInput } from '../../src/data/index.js'
import { readFashionMnist } from './fashion-mnist.js'

/** One 2x2 RGB image, [1, 2, 2, 3]; the reference numbers below are computed from it. */
const PIXELS = [10, 20, 30, 200, 100, 0, 255, 255, 255, 0, 50, 90]

function expectClose(actual: tf.Tensor, expected: number[], digits = 4): void {
  const values = Array.from(actual.dataSync())
  actual.dispose()
  expect(values).toHaveLength(expected.length)
  for (const [i, v] of values.entries()) expect(v).toBeCloseTo(expected[i] as number, digits)
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`preprocessing on ${backend}`, () => {
    let image: tf.Tensor4D
    beforeAll(async () => {
      await tf.setBackend(backend)
      image = tf.tensor4d(PIXELS, [1, 2, 2, 3])
    })

    test("toModelInput 'caffe' is BGR minus the ImageNet BGR means (Keras)", () => {
      const means = [103.939, 116.779, 123.68]
      const expected = [0, 1, 2, 3].flatMap((p) =>
        [2, 1, 0].map((c, k) => (PIXELS[p * 3 + c] as number) - (means[k] as number)),
      )
      expect(expected.slice(0, 3).map((v) => +v.toFixed(3))).toEqual([-73.939, -96.779, -113.68])
      expectClose(toModelInput({ images: image, preprocessing: 'caffe' }), expected, 3)
    })

    test("toModelInput 'tf' maps 0..255 to -1..1 and 'torch' standardises per channel", () => {
      expectClose(
        toModelInput({ images: image, preprocessing: 'tf' }),
        PIXELS.map((v) => v / 127.5 - 1),
      )
      const mean = [0.485, 0.456, 0.406]
      const std = [0.229, 0.224, 0.225]
      expectClose(
        toModelInput({ images: image, preprocessing: 'torch' }),
        PIXELS.map((v, i) => (v / 255 - (mean[i % 3] as number)) / (std[i % 3] as number)),
      )
    })

    test('adjustContrast matches the numpy reference around each per-channel mean', () => {
      // numpy: m = x.mean(axis=(1, 2)) = [116.25, 106.25, 93.75]; clip((x - m) * f + m, 0, 255)
      expectClose(adjustContrast(image, 2), [0, 0, 0, 255, 93.75, 0, 255, 255, 255, 0, 0, 86.25])
      expectClose(
        adjustContrast(image, 0.5),
        [
          63.125, 63.125, 61.875, 158.125, 103.125, 46.875, 185.625, 180.625, 174.375, 58.125,
          78.125, 91.875,
        ],
      )
    })

    test('contrast keeps shape and range, 1 is the identity, each image uses its own mean (fast-check)', async () => {
      const { images } = await readFashionMnist(4)
      const batch = tf.tidy(() =>
        tf
          .tensor4d(
            images.flatMap((g) => [...g]),
            [4, 28, 28, 1],
          )
          .tile([1, 1, 1, 3])
          .toFloat(),
      ) as tf.Tensor4D
      expect(Array.from(adjustContrast(batch, 1).dataSync())).toEqual(Array.from(batch.dataSync()))
      fc.assert(
        fc.property(
          fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 4, maxLength: 4 }),
          (factors) => {
            const out = adjustContrastPerImage({ images: batch, factors })
            expect(out.shape).toEqual([4, 28, 28, 3])
            const values = out.dataSync()
            expect(Math.min(...values)).toBeGreaterThanOrEqual(0)
            expect(Math.max(...values)).toBeLessThanOrEqual(255)
            // Image 2 alone gives the same result as inside the batch: the mean is per image.
            const alone = adjustContrast(
              batch.slice([2, 0, 0, 0], [1, 28, 28, 3]),
              factors[2] as number,
            )
            const inBatch = out.slice([2, 0, 0, 0], [1, 28, 28, 3])
            expect(Array.from(inBatch.dataSync())).toEqual(Array.from(alone.dataSync()))
            tf.dispose([out, alone, inBatch])
          },
        ),
        { numRuns: 15 },
      )
      batch.dispose()
    })

    test('leaves no tensor behind but its output', () => {
      const before = tf.memory().numTensors
      for (const preprocessing of ['caffe', 'tf', 'torch'] as const) {
        toModelInput({ images: image, preprocessing }).dispose()
      }
      adjustContrast(image, 2).dispose()
      adjustContrastPerImage({ images: image, factors: [0.5] }).dispose()
      expect(tf.memory().numTensors).toBe(before)
    })

    test('rejects grey tensors and negative factors, naming the value', () => {
      const grey = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D
      expect(() => toModelInput({ images: grey, preprocessing: 'tf' })).toThrow(/\[1, 2, 2, 1\]/)
      expect(() => adjustContrast(image, -2)).toThrow(/-2/)
      grey.dispose()
    })
  })
}
