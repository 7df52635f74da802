import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { decodeImages } from '../../src/data/index.js'
import { mapConcurrent } from '../../src/data/pool.js'
import { AblateError } from '../../src/errors.js'

const FASHION3_DIR = new URL('../../fixtures/fashion3/', import.meta.url).pathname

test('mapConcurrent keeps order and never exceeds the bound (fast-check)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }),
      fc.integer({ min: 1, max: 6 }),
      async (delays, concurrency) => {
        let inFlight = 0
        let peak = 0
        const results = await mapConcurrent({
          items: delays,
          concurrency,
          work: async (delay, index) => {
            inFlight++
            peak = Math.max(peak, inFlight)
            await new Promise((resolve) => setTimeout(resolve, delay))
            inFlight--
            return index * 2
          },
        })
        expect(results).toEqual(delays.map((_, i) => i * 2))
        expect(peak).toBeLessThanOrEqual(concurrency)
        if (delays.length >= concurrency) expect(peak).toBe(concurrency)
      },
    ),
    { numRuns: 30 },
  )
})

test('mapConcurrent rejects with the first failure', async () => {
  const work = async (n: number) => {
    if (n === 3) throw new Error('item 3 failed')
    return n
  }
  await expect(mapConcurrent({ items: [1, 2, 3, 4], concurrency: 2, work })).rejects.toThrow(
    /item 3/,
  )
})

test.each([Number.NaN, 0, -2, 1.5, Number.POSITIVE_INFINITY])(
  'mapConcurrent rejects concurrency %s before any work, naming the value',
  async (concurrency) => {
    let calls = 0
    const work = async (n: number) => {
      calls++
      return n
    }

    const error = await mapConcurrent({ items: [1, 2, 3], concurrency, work }).catch((e) => e)

    expect(error).toBeInstanceOf(AblateError)
    expect(error.code).toBe('ABLATE_DATA_INVALID')
    expect(error.message).toContain(`got ${concurrency}`)
    expect(calls).toBe(0)
  },
)

test('decodeImages passes a bad concurrency on as the same error, not a crash', async () => {
  const paths = [join(FASHION3_DIR, 'shirt', (await readdir(join(FASHION3_DIR, 'shirt')))[0]!)]

  await expect(
    decodeImages({ paths, size: 8, cacheDir: null, concurrency: Number.NaN }),
  ).rejects.toThrow(/concurrency must be a positive integer.*got NaN/)
  expect((await decodeImages({ paths, size: 8, cacheDir: null, concurrency: 1 })).n).toBe(1)
})
