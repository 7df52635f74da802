import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { deriveLayerSeed } from '../../src/models/index.js'

describe('deriveLayerSeed', () => {
  test('is a positive 31-bit integer, never the "no seed" 0 of tfjs initializers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.string(), (seed, name) => {
        const derived = deriveLayerSeed({ seed, name })
        expect(Number.isInteger(derived)).toBe(true)
        expect(derived).toBeGreaterThanOrEqual(1)
        expect(derived).toBeLessThanOrEqual(2 ** 31 - 1)
        expect(deriveLayerSeed({ seed, name })).toBe(derived)
      }),
    )
  })

  test('differs between layers and between run seeds', () => {
    const names = ['conv1_conv', 'conv2_block1_1_conv', 'conv2_block1_2_conv', 'predictions']
    const seeds = [0, 1, 2, 42, 2 ** 32 + 1]
    const all = seeds.flatMap((seed) => names.map((name) => deriveLayerSeed({ seed, name })))
    expect(new Set(all).size).toBe(all.length)
  })
})
