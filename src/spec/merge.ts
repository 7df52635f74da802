/**
 * Deep merge of a variant's config over its experiment's: plain objects merge key by key, arrays
 * and scalars replace, `undefined` leaves the base value. Hand-written because the rule (arrays
 * replace, inputs untouched, no prototype keys) is src/train/config.ts' contract and is short.
 */
export function mergeConfig<T extends object>(base: T, override: object): T {
  return mergeValues(base, override) as T
}

function mergeValues(base: unknown, override: unknown): unknown {
  if (override === undefined) return cloneValue(base)
  if (!isPlainObject(base) || !isPlainObject(override)) return cloneValue(override)

  const out: Record<string, unknown> = {}
  for (const key of Object.keys(base)) out[key] = cloneValue(base[key])
  for (const key of Object.keys(override)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue
    out[key] = mergeValues(base[key], override[key])
  }
  return out
}

function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = cloneValue(value[key])
  return out
}

/** True for `{}` literals and `Object.create(null)`; false for arrays, dates, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
