import { assertNonNegative, assertProbability, invalidStats } from './sample.js'
import type { Comparison, Direction, Verdict } from './types.js'

/** Arguments of `decideVerdict`. */
export interface DecideVerdictArgs {
  comparison: Comparison
  /** The comparison's p after correction for multiple comparisons (e.g. Holm). */
  pAdjusted: number
  alpha: number
  /** Minimum effect that matters, as ± rope in metric units; 0 means any significant effect. */
  rope: number
  direction: Direction
}

/**
 * The verdict of one comparison, in this order:
 * better/worse when pAdjusted < alpha and the 95% CI of the difference lies entirely beyond +rope
 * (or -rope) in the improving (or worsening) direction; negligible when significant otherwise;
 * equivalent when not significant and the CI lies inside [-rope, +rope]; else inconclusive.
 */
export function decideVerdict(args: DecideVerdictArgs): Verdict {
  const { comparison, pAdjusted, alpha, rope } = args
  validate(args)

  const sign = args.direction === 'higher' ? 1 : -1
  // Work in "improvement" units so that positive is always better.
  const [a, b] = [sign * comparison.ci95[0], sign * comparison.ci95[1]]
  const [low, high] = [Math.min(a, b), Math.max(a, b)]
  const significant = pAdjusted < alpha
  const within = `±${formatRope(rope)}`

  if (significant && low > rope) return { kind: 'better', label: 'significantly better' }
  if (significant && high < -rope) return { kind: 'worse', label: 'significantly worse' }
  if (significant) return { kind: 'negligible', label: `significant but not beyond ${within}` }
  if (low >= -rope && high <= rope)
    return { kind: 'equivalent', label: `equivalent within ${within}` }
  return { kind: 'inconclusive', label: 'no statistically significant difference' }
}

function validate(args: DecideVerdictArgs): void {
  assertProbability(args.alpha, 'alpha')
  assertNonNegative(args.rope, 'rope')
  if (!(args.pAdjusted >= 0 && args.pAdjusted <= 1)) {
    throw invalidStats(`pAdjusted must lie in [0, 1], got ${args.pAdjusted}.`)
  }
  if (args.direction !== 'higher' && args.direction !== 'lower') {
    throw invalidStats(`direction must be 'higher' or 'lower', got '${String(args.direction)}'.`)
  }
}

/** Three significant digits, without trailing zeros: 0.01 -> "0.01", 0.0125 -> "0.0125". */
export function formatRope(rope: number): string {
  return String(Number(rope.toPrecision(3)))
}
