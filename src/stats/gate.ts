import { AblateError } from '../errors.js'
import { compare, isPairedTest } from './compare.js'
import { holm } from './holm.js'
import { type Arm, describeDropped, matchBySeed } from './pairing.js'
import { invalidStats } from './sample.js'
import type { Comparison, Direction, TestKind, Verdict } from './types.js'
import { decideVerdict } from './verdict.js'

/** One gated comparison: the current runs of a variant against its stored baseline runs. */
export interface GateComparison {
  /** Stable identity of the variant, e.g. `<experiment> > <variant>`. */
  key: string
  baseline: Arm
  current: Arm
}

/** Arguments of `gateRegressions`. */
export interface GateRegressionsArgs {
  comparisons: GateComparison[]
  alpha: number
  rope: number
  direction: Direction
  test: TestKind
}

/** One row of the gate, in input order. */
export interface GateRow {
  key: string
  /** Current minus stored baseline. */
  comparison: Comparison
  /** Holm over all gated comparisons. */
  pAdjusted: number
  verdict: Verdict
  /** True when this row fails the gate: significantly worse beyond the rope. */
  regressed: boolean
  /** Dropped seeds, if any. */
  notes: string[]
}

/** The gate's decision: failed when any row regressed. */
export interface GateResult {
  failed: boolean
  rows: GateRow[]
}

/**
 * The regression gate: compares each variant's current runs with its stored baseline runs (paired
 * by seed for paired tests), corrects with Holm over all gated comparisons, and fails only on a
 * significant worsening whose 95% CI clears the rope. Throws `ABLATE_BASELINE_MISMATCH` when a
 * comparison has fewer than 2 usable runs (e.g. the stored seeds differ from the current ones).
 */
export function gateRegressions(args: GateRegressionsArgs): GateResult {
  const keys = new Set<string>()
  for (const { key } of args.comparisons) {
    if (keys.has(key)) throw invalidStats(`gateRegressions: key '${key}' appears twice.`)
    keys.add(key)
  }

  const compared = args.comparisons.map((c) => compareGated({ ...c, test: args.test }))
  const adjusted = holm(compared.map((c) => c.comparison.p))
  const rows = compared.map((c, i) => {
    const pAdjusted = adjusted[i]!
    const verdict = decideVerdict({ ...args, comparison: c.comparison, pAdjusted })
    return { ...c, pAdjusted, verdict, regressed: verdict.kind === 'worse' }
  })
  return { failed: rows.some((r) => r.regressed), rows }
}

function compareGated(args: GateComparison & { test: TestKind }): {
  key: string
  comparison: Comparison
  notes: string[]
} {
  const { key, baseline, current, test } = args
  if (!isPairedTest(test)) {
    assertEnough({ key, count: Math.min(baseline.values.length, current.values.length) })
    const comparison = compare({ baseline: baseline.values, variant: current.values, test })
    return { key, comparison, notes: [] }
  }
  const matched = matchBySeed(baseline, current)
  assertEnough({ key, count: matched.seeds.length, seeds: { baseline, current } })
  const dropped = describeDropped(matched, { baseline, variant: current })
  const comparison = compare({ ...matched, test })
  return { key, comparison, notes: dropped === null ? [] : [dropped] }
}

function assertEnough(args: {
  key: string
  count: number
  seeds?: { baseline: Arm; current: Arm }
}): void {
  if (args.count >= 2) return
  const seeds =
    args.seeds === undefined
      ? ''
      : ` (baseline seeds ${args.seeds.baseline.seeds.join(', ') || 'none'}; ` +
        `current seeds ${args.seeds.current.seeds.join(', ') || 'none'})`
  throw new AblateError(
    'ABLATE_BASELINE_MISMATCH',
    `Gate '${args.key}': ${args.count} usable runs shared with the stored baseline${seeds}, at ` +
      'least 2 are needed. Save a new baseline with the current seeds.',
  )
}
