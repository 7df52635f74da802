import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { checkPreparedData, countClasses, type PreparedData } from '../../src/train/index.js'

function makeData(overrides: Partial<PreparedData> = {}): PreparedData {
  return {
    images: { pixels: new Uint8Array(4 * 2 * 2 * 3), n: 4, size: 2 },
    labels: Int32Array.of(0, 1, 0, 1),
    classNames: ['a', 'b'],
    split: { train: Int32Array.of(0, 1), validation: Int32Array.of(2, 3) },
    ...overrides,
  }
}

describe('checkPreparedData', () => {
  test('accepts consistent data', () => {
    expect(() => checkPreparedData({ data: makeData(), inputSize: 2 })).not.toThrow()
  })

  test.each([
    [makeData(), 3, 'model takes 3px'],
    [makeData({ labels: Int32Array.of(0, 1, 0, 7) }), 2, 'label 7 outside [0, 2)'],
    [makeData({ labels: Int32Array.of(0, 1) }), 2, '2 labels for 4 images'],
    [makeData({ images: { pixels: new Uint8Array(5), n: 4, size: 2 } }), 2, 'hold 5 bytes'],
    [
      makeData({ split: { train: Int32Array.of(0, 9), validation: Int32Array.of(2) } }),
      2,
      'index 9',
    ],
    [
      makeData({ split: { train: Int32Array.of(0), validation: new Int32Array(0) } }),
      2,
      '0 validation',
    ],
  ])('rejects inconsistent data naming the bad value (%#)', (data, inputSize, message) => {
    const attempt = () => checkPreparedData({ data, inputSize })

    expect(attempt).toThrow(message)
    expect(attempt).toThrow(expect.objectContaining({ code: 'ABLATE_DATA_INVALID' }))
  })
})

describe('countClasses', () => {
  test('counts sum to the number of indices and match a direct count', () => {
    const labels = fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 30 })
    fc.assert(
      fc.property(labels, fc.array(fc.nat(), { maxLength: 40 }), (values, picks) => {
        const indices = picks.map((p) => p % values.length)
        const counts = countClasses({ labels: values, indices, numClasses: 4 })

        expect(counts.reduce((a, b) => a + b, 0)).toBe(indices.length)
        counts.forEach((count, c) => {
          expect(count).toBe(indices.filter((i) => values[i] === c).length)
        })
      }),
    )
  })
})
