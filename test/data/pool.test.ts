import fc from 'fast-check'
import { expect, test } from 'vitest'
import { mapConcurrent } from '../../src/data/pool.js'

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
