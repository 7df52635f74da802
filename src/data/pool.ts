/**
 * Bounded concurrency for file work (probing, decoding). Hand-written because it is one short loop
 * and no installed package offers it.
 */

/** Default number of files worked on at once: sharp runs its own thread pool underneath. */
export const DEFAULT_CONCURRENCY = 4

/**
 * Maps `items` through `work` with at most `concurrency` calls in flight; results keep input order.
 * The first rejection rejects the call at once; calls already running finish, no new ones start.
 */
export async function mapConcurrent<T, R>(args: {
  items: readonly T[]
  concurrency: number
  work: (item: T, index: number) => Promise<R>
}): Promise<R[]> {
  const { items, work } = args
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

  const workers = Math.max(1, Math.min(Math.floor(args.concurrency), items.length))
  await Promise.all(Array.from({ length: workers }, worker))
  return results
}
