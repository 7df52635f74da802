/**
 * Number and duration formatting for the HTML report. Every function returns plain text (no markup)
 * and shows a non-finite value as an en dash, so a missing statistic never prints as `NaN`.
 */

const MISSING = '–'

/** A metric value with `digits` decimals (default 3), e.g. `0.812`. */
export function formatValue(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : MISSING
}

/** A difference with an explicit sign, e.g. `+0.012` or `−0.004` (U+2212 minus). */
export function formatSigned(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return MISSING
  const text = Math.abs(value).toFixed(digits)
  if (Number(text) === 0) return text
  return `${value > 0 ? '+' : '−'}${text}`
}

/** A mean with the half-width of its interval, e.g. `0.812 ± 0.021`. */
export function formatMeanCi(mean: number, ci95: readonly [number, number]): string {
  const half = (ci95[1] - ci95[0]) / 2
  if (!Number.isFinite(half)) return formatValue(mean)
  return `${formatValue(mean)} ± ${formatValue(half)}`
}

/** An interval, e.g. `[−0.010, +0.034]`. */
export function formatInterval(ci95: readonly [number, number]): string {
  return `[${formatSigned(ci95[0])}, ${formatSigned(ci95[1])}]`
}

/** A p-value: three significant decimals down to 0.001, then `< 0.001`. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return MISSING
  if (p < 0.001) return '< 0.001'
  return p.toFixed(3)
}

/** A wall time in milliseconds as `850 ms`, `12.3 s` or `4 min 05 s`. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const totalS = Math.round(ms / 1000)
  const minutes = Math.floor(totalS / 60)
  return `${minutes} min ${String(totalS % 60).padStart(2, '0')} s`
}
