/**
 * Number and name formatting shared by the terminal and markdown reporters. Fixed decimals keep
 * columns aligned; p-values switch to exponent form below 0.0001 so tiny values stay readable.
 */

/** A metric value with `digits` decimals, e.g. 0.8123. */
export function formatValue(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  return value.toFixed(digits)
}

/** A difference with an explicit sign, e.g. +0.0210 or -0.0034. */
export function formatSigned(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '-'
  const text = value.toFixed(digits)
  return value >= 0 && !text.startsWith('-') ? `+${text}` : text
}

/** An interval as [low, high] with signs. */
export function formatInterval(
  ci: readonly [number, number] | null | undefined,
  digits = 4,
): string {
  if (!ci) return '-'
  return `[${formatSigned(ci[0], digits)}, ${formatSigned(ci[1], digits)}]`
}

/** Half the width of an interval, e.g. "±0.0061", the "±" column of the tables. */
export function formatHalfWidth(
  ci: readonly [number, number] | null | undefined,
  digits = 4,
): string {
  if (!ci) return '-'
  return `±${((ci[1] - ci[0]) / 2).toFixed(digits)}`
}

/** A p-value: 4 decimals, or "<0.0001"-style exponent form when smaller. */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || !Number.isFinite(p)) return '-'
  if (p >= 0.0001) return p.toFixed(4)
  return p === 0 ? '0' : p.toExponential(1)
}

/** Milliseconds as a short human duration: 850 ms, 12.3 s, 4 min 05 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes} min ${String(seconds).padStart(2, '0')} s`
}

/** A file-name-safe form of an experiment name: `reports/<slug>.json`, `baselines/<slug>.json`. */
export function slugify(name: string): string {
  const slug = name
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return slug === '' ? 'experiment' : slug
}

/** Escapes a name for use inside a `-t` regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/**
 * The command that reruns a variant (with its baseline, whose runs then come from the store), or a
 * single seed of it when `seed` is given.
 */
export function rerunCommand(args: {
  experiment: string
  baseline: string
  variant: string
  seed?: number
}): string {
  const names =
    args.variant === args.baseline
      ? escapeRegExp(args.variant)
      : `(${escapeRegExp(args.baseline)}|${escapeRegExp(args.variant)})`
  const seed = args.seed === undefined ? 'seed' : `seed ${args.seed}$`
  return `npm run bench -- -t "^${escapeRegExp(args.experiment)} ${names} ${seed}"`
}
