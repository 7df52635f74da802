import { AblateError } from '../errors.js'

/**
 * JSON with object keys sorted at every depth, so that equal configs give equal text and equal
 * keys. Hand-written: JSON.stringify keeps insertion order, and the store key must not depend on
 * it. Functions, symbols and non-finite numbers have no stable text and are rejected.
 */
export function canonicalJson(value: unknown, path = 'config'): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    return JSON.stringify(value)
  }
  if (typeof value === 'number') return canonicalNumber(value, path)
  if (Array.isArray(value)) {
    const items = value.map((v, i) => canonicalJson(v === undefined ? null : v, `${path}[${i}]`))
    return `[${items.join(',')}]`
  }
  if (typeof value === 'object') return canonicalObject(value as Record<string, unknown>, path)

  throw new AblateError(
    'ABLATE_SPEC_INVALID',
    `${path}: expected JSON data (objects, arrays, strings, numbers, booleans, null), found a ${typeof value}; move code out of the config`,
  )
}

function canonicalNumber(value: number, path: string): string {
  if (!Number.isFinite(value)) {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `${path}: expected a finite number, found ${value}; JSON cannot hold it`,
    )
  }
  return JSON.stringify(value)
}

function canonicalObject(value: Record<string, unknown>, path: string): string {
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
  const parts = keys.map(
    (key) => `${JSON.stringify(key)}:${canonicalJson(value[key], `${path}.${key}`)}`,
  )
  return `{${parts.join(',')}}`
}
