import { invalidStats } from './sample.js'

/**
 * Holm's step-down adjustment (as R's `p.adjust(p, 'holm')`), returned in the input order.
 * Sorted ascending, the i-th (0-based) smallest p becomes max over j <= i of min(1, (m - j) p_j):
 * never below the raw p, never above 1, and monotone in the raw p.
 */
export function holm(pValues: readonly number[]): number[] {
  pValues.forEach((p, i) => {
    if (!(p >= 0 && p <= 1)) throw invalidStats(`holm: pValues[${i}] must lie in [0, 1], got ${p}.`)
  })

  const m = pValues.length
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p)
  const adjusted = new Array<number>(m)
  let running = 0
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p))
    adjusted[i] = running
  })
  return adjusted
}
