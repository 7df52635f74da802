/**
 * Bounded concurrency for file work (probing, decoding). Hand-written because it is one short loop
 * and no installed package offers it.
 */

import { AblateError } from '../errors.js'

/** Default number of files worked on at once: sharp runs its own thread pool underneath. */
export const DEFAULT_CONCURRENCY = 4

/**
 * Maps `items` through `work` with at most `concurrency` calls in flight; results keep input order.
 * The first rejection rejects the call at once; calls already running finish, no new ones start.
 * Rejects with `ABLATE_DATA_INVALID` unless `concurrency` is a positive integer.
 */
export async function mapConcurrent<T, R>(args: {
  items: readonly T[]
  concurrency: number
  work: (item: T, index: number) => Promise<R>
}): Promise<R[]> {
  const { items, work, concurrency } = args
  checkConcurrency(concurrency)

  const results = new Array<R>(items.length)
  let next = 0
  let failed = false

  const worker = async () => {
    while (next < items.length && !failed) {
      const index = next++
      try {
        results[index] = await work(items[index] as T, index)
      } catch (error) {
        failed = true
        throw error
      }
    }
  }

  const workers = Math.max(1, Math.min(concurrency, items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}

/** NaN would start no worker and return holes; 0, negatives and fractions are mistakes too. */
function checkConcurrency(concurrency: number): void {
  if (Number.isInteger(concurrency) && concurrency >= 1) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `concurrency must be a positive integer (files worked on at once), got ${concurrency}. ` +
      `Pass e.g. ${DEFAULT_CONCURRENCY}, or leave it unset for the default.`,
  )
}
