import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { createRng, deriveSeed, withSeededMathRandom } from '../../src/train/seed-streams.js'

const draw = (rng: () => number, n: number) => Array.from({ length: n }, () => rng())

describe('seed streams', () => {
  test('the same seed and purpose give the same stream; others differ', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const a = draw(createRng({ seed, purpose: 'order' }), 5)

        expect(draw(createRng({ seed, purpose: 'order' }), 5)).toEqual(a)
        expect(draw(createRng({ seed, purpose: 'augment' }), 5)).not.toEqual(a)
        expect(draw(createRng({ seed: seed + 1, purpose: 'order' }), 5)).not.toEqual(a)
      }),
    )
  })

  test('derived integer seeds are positive 31-bit integers', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const derived = deriveSeed({ seed, purpose: 'init' })

        expect(Number.isInteger(derived)).toBe(true)
        expect(derived).toBeGreaterThan(0)
        expect(derived).toBeLessThan(2 ** 31)
      }),
    )
  })

  test('Math.random follows the seed during the run and is restored after, also on error', async () => {
    const original = Math.random
    const first = await withSeededMathRandom({ seed: 7, run: async () => draw(Math.random, 3) })
    const second = await withSeededMathRandom({ seed: 7, run: async () => draw(Math.random, 3) })
    const failing = withSeededMathRandom({
      seed: 7,
      run: async () => {
        throw new Error('boom')
      },
    })

    expect(second).toEqual(first)
    expect(first).toEqual(draw(createRng({ seed: 7, purpose: 'math' }), 3))
    await expect(failing).rejects.toThrow('boom')
    expect(Math.random).toBe(original)
  })

  test('concurrent sections take turns, so each sees only its own stream', async () => {
    const section = (seed: number) =>
      withSeededMathRandom({
        seed,
        run: async () => {
          const first = Math.random()
          await new Promise((resolve) => setTimeout(resolve, 5))
          return [first, Math.random()]
        },
      })
    const [a, b] = await Promise.all([section(1), section(2)])

    expect(a).toEqual(draw(createRng({ seed: 1, purpose: 'math' }), 2))
    expect(b).toEqual(draw(createRng({ seed: 2, purpose: 'math' }), 2))
  })
})
