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

  const out = cloneValue(base) as Record<string, unknown>
  for (const key of safeKeys(override)) out[key] = mergeValues(base[key], override[key])
  return out
}

function cloneValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneValue)
  if (!isPlainObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of safeKeys(value)) out[key] = cloneValue(value[key])
  return out
}

/** Own keys except those that would reach a prototype when assigned (`__proto__` sets it). */
function safeKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => !PROTOTYPE_KEYS.has(key))
}

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** True for `{}` literals and `Object.create(null)`; false for arrays, dates, class instances. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}
