import { describe, expect, test } from 'vitest'
import { Semaphore } from '../../src/spec/semaphore.js'

describe('Semaphore', () => {
  test('never has more than its slots in flight, and runs every task once', async () => {
    const semaphore = new Semaphore(2)
    let inFlight = 0
    let most = 0
    const done: number[] = []
    const task = (i: number) =>
      semaphore.use(async () => {
        inFlight += 1
        most = Math.max(most, inFlight)
        await new Promise((r) => setTimeout(r, 5))
        inFlight -= 1
        done.push(i)
        return i
      })

    const results = await Promise.all([0, 1, 2, 3, 4, 5].map(task))
    expect(results).toEqual([0, 1, 2, 3, 4, 5])
    expect(most).toBe(2)
    expect(done.sort()).toEqual([0, 1, 2, 3, 4, 5])
  })

  test('frees the slot when a task throws', async () => {
    const semaphore = new Semaphore(1)
    await expect(semaphore.use(async () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    )
    await expect(semaphore.use(async () => 'next')).resolves.toBe('next')
  })
})
