/**
 * What a variant changes relative to the baseline's config, for the verdict table: the configs are
 * flattened to dotted paths and compared leaf by leaf. Written by hand: a dozen lines of JSON
 * walking need no dependency.
 */

/** One changed leaf, e.g. `{ path: 'augment.flip', before: 'false', after: '"horizontal"' }`. */
export interface ConfigChange {
  path: string
  /** JSON text of the baseline's value, or `'–'` where the baseline has none. */
  before: string
  /** JSON text of the variant's value, or `'–'` where the variant has none. */
  after: string
}

/** The leaves that differ between two configs, in the variant's key order, then removed keys. */
export function diffConfigs(args: {
  baseline: Record<string, unknown>
  variant: Record<string, unknown>
}): ConfigChange[] {
  const before = flattenConfig(args.baseline)
  const after = flattenConfig(args.variant)
  const paths = [...new Set([...after.keys(), ...before.keys()])]
  return paths.flatMap((path) => {
    const a = before.get(path)
    const b = after.get(path)
    return a === b ? [] : [{ path, before: a ?? '–', after: b ?? '–' }]
  })
}

/** Maps dotted paths of plain-object leaves to their JSON text; arrays count as leaves. */
export function flattenConfig(config: Record<string, unknown>, prefix = ''): Map<string, string> {
  const leaves = new Map<string, string>()
  for (const [key, value] of Object.entries(config)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [p, v] of flattenConfig(value, path)) leaves.set(p, v)
    } else {
      leaves.set(path, JSON.stringify(value) ?? 'undefined')
    }
  }
  return leaves
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
