/**
 * Exact null distributions of the rank statistics, as unnormalized weights indexed by the
 * statistic's value (integer ranks: midranks are doubled by the callers to stay integral).
 */

/** weights[s] = probability that the ranks carrying a plus sign sum to s (each sign 1/2). */
export function signedRankDistribution(ranks: readonly number[]): number[] {
  let dist = [1]
  for (const r of ranks) {
    const next = new Array<number>(dist.length + r).fill(0)
    dist.forEach((q, s) => {
      next[s]! += q / 2
      next[s + r]! += q / 2
    })
    dist = next
  }
  return dist
}

/** counts[s] = number of k-subsets of `ranks` whose sum is s (floats: relative precision kept). */
export function rankSumDistribution(ranks: readonly number[], k: number): number[] {
  const total = ranks.reduce((a, b) => a + b, 0)
  // ways[j][s]: j ranks chosen so far with sum s.
  const ways = Array.from({ length: k + 1 }, () => new Array<number>(total + 1).fill(0))
  ways[0]![0] = 1
  for (const r of ranks) {
    for (let j = k; j >= 1; j--) {
      const row = ways[j]!
      const prev = ways[j - 1]!
      for (let s = total; s >= r; s--) row[s]! += prev[s - r]!
    }
  }
  return ways[k]!
}

/** min(1, 2 min(P(S <= observed), P(S >= observed))) from unnormalized weights by sum. */
export function twoSidedFromDistribution(weights: readonly number[], observed: number): number {
  let total = 0
  let below = 0
  let above = 0
  weights.forEach((w, s) => {
    total += w
    if (s <= observed) below += w
    if (s >= observed) above += w
  })
  return Math.min(1, (2 * Math.min(below, above)) / total)
}

/**
 * sums[mask] = sum of values[i] over the bits i set in mask, for every mask below 2^n: each entry
 * reuses the entry without its lowest bit, so the table costs O(2^n) rather than O(n 2^n).
 */
export function subsetSumsByMask(values: readonly number[]): Float64Array {
  const sums = new Float64Array(2 ** values.length)
  for (let mask = 1; mask < sums.length; mask++) {
    const lowest = mask & -mask
    sums[mask] = sums[mask ^ lowest]! + values[31 - Math.clz32(lowest)]!
  }
  return sums
}
