/**
 * The promise cached under `key`, or a new one from `make`, cached until it rejects (so a failure,
 * such as a file not there yet, is tried again by the next caller rather than remembered).
 */
export function cachedPromise<K, V>(
  cache: Map<K, Promise<V>>,
  key: K,
  make: () => Promise<V>,
): Promise<V> {
  let promise = cache.get(key)
  if (promise === undefined) {
    promise = make()
    promise.catch(() => cache.delete(key))
    cache.set(key, promise)
  }
  return promise
}
