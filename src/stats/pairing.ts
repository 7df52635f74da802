import { invalidStats } from './sample.js'

/** One arm of an experiment: a variant's (or the baseline's) values, index-matched with seeds. */
export interface Arm {
  name: string
  values: number[]
  /** seeds[i] is the seed that produced values[i]; unique within an arm. */
  seeds: number[]
}

/** Two arms reduced to the seeds they share, in the baseline's seed order. */
export interface MatchedArms {
  baseline: number[]
  variant: number[]
  seeds: number[]
  /** Seeds present in only one arm, dropped from the paired comparison. */
  droppedBaselineSeeds: number[]
  droppedVariantSeeds: number[]
}

/** Pairs two arms by seed (the paired design: seed i gives both arms the same split and init). */
export function matchBySeed(baseline: Arm, variant: Arm): MatchedArms {
  const variantBySeed = indexBySeed(variant)
  const shared = baseline.seeds.filter((s) => variantBySeed.has(s))
  const sharedSet = new Set(shared)
  const baselineBySeed = indexBySeed(baseline)
  return {
    baseline: shared.map((s) => baseline.values[baselineBySeed.get(s)!]!),
    variant: shared.map((s) => variant.values[variantBySeed.get(s)!]!),
    seeds: shared,
    droppedBaselineSeeds: baseline.seeds.filter((s) => !sharedSet.has(s)),
    droppedVariantSeeds: variant.seeds.filter((s) => !sharedSet.has(s)),
  }
}

/** A note for reports when seeds were dropped, or null when every seed matched. */
export function describeDropped(
  matched: MatchedArms,
  arms: { baseline: Arm; variant: Arm },
): string | null {
  const { droppedBaselineSeeds: b, droppedVariantSeeds: v } = matched
  if (b.length + v.length === 0) return null
  const parts: string[] = []
  if (b.length > 0)
    parts.push(`${b.length} only in '${arms.baseline.name}' (seeds ${b.join(', ')})`)
  if (v.length > 0) parts.push(`${v.length} only in '${arms.variant.name}' (seeds ${v.join(', ')})`)
  return `${b.length + v.length} unmatched seeds dropped from the paired test: ${parts.join('; ')}`
}

/** Checks an arm's shape and returns seed -> index. */
export function indexBySeed(arm: Arm): Map<number, number> {
  if (arm.values.length !== arm.seeds.length) {
    throw invalidStats(
      `Arm '${arm.name}' has ${arm.values.length} values but ${arm.seeds.length} seeds: ` +
        'give one seed per value.',
    )
  }
  const index = new Map<number, number>()
  arm.seeds.forEach((seed, i) => {
    if (index.has(seed)) {
      throw invalidStats(`Arm '${arm.name}' lists seed ${seed} twice: each seed must appear once.`)
    }
    index.set(seed, i)
  })
  return index
}
