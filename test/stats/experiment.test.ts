import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import {
  type Arm,
  analyzeExperiment,
  compare,
  gateRegressions,
  holm,
  minimumDetectableEffect,
  seedsNeeded,
} from '../../src/stats/index.js'

const seeds = [11, 12, 13, 14, 15, 16]
/** A per-seed component shared by every arm (split, init, batch order), as in real studies. */
const seedEffect = [0.02, -0.03, 0.01, 0.04, -0.02, 0]
const noise = [0.003, -0.002, 0.001, -0.004, 0.002, 0.0005]
const arm = (name: string, shift: number, jitter = 1): Arm => ({
  name,
  seeds: [...seeds],
  values: seedEffect.map((e, i) => 0.8 + e + shift + jitter * noise[(i + name.length) % 6]!),
})

const options = { alpha: 0.05, rope: 0.01, direction: 'higher' as const, test: 'paired-t' as const }

describe('analyzeExperiment', () => {
  const baseline = arm('none', 0)
  const variants = [arm('better', 0.05), arm('same', 0, 0), arm('worse', -0.04), arm('tiny', 0.002)]
  const analysis = analyzeExperiment({ ...options, baseline, variants })

  test('verdicts follow the true effects', () => {
    const kinds = analysis.variants.map((v) => [v.name, v.verdict?.kind])
    expect(kinds).toEqual([
      ['better', 'better'],
      ['same', 'equivalent'],
      ['worse', 'worse'],
      // Same name length as 'none', hence the same noise: a real +0.002 measured almost exactly.
      ['tiny', 'negligible'],
    ])
  })

  test('an inconclusive row says how many seeds the rope would need; the others do not', () => {
    const noisy: Arm = {
      name: 'noisy',
      seeds: [...seeds],
      values: seedEffect.map((e, i) => 0.8 + e + [0.02, -0.015, 0.01, -0.02, 0.012, 0][i]!),
    }
    const result = analyzeExperiment({ ...options, baseline, variants: [noisy, arm('same', 0, 0)] })
    const [row, same] = result.variants
    expect(row?.verdict?.kind).toBe('inconclusive')
    const d = noisy.values.map((v, i) => v - baseline.values[i]!)
    const mean = d.reduce((a, b) => a + b, 0) / d.length
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1))
    const n = seedsNeeded({ effect: 0.01, sd, alpha: 0.05, paired: true, comparisons: 2 })
    expect(n).toBeGreaterThan(6)
    expect(row?.notes).toContain(
      `a true difference of ±0.01 would need about ${n} paired seeds to be found with 80% power (this run has 6)`,
    )
    expect(same?.notes.join(' ')).not.toContain('would need about')
  })

  test('each row is compare + Holm over the variants + verdict + MDE', () => {
    const comparisons = variants.map((v) =>
      compare({ baseline: baseline.values, variant: v.values, test: 'paired-t' }),
    )
    const adjusted = holm(comparisons.map((c) => c.p))
    analysis.variants.forEach((row, i) => {
      expect(row.comparison).toEqual(comparisons[i])
      expect(row.pAdjusted).toBe(adjusted[i])
      expect(row.summary?.n).toBe(6)
      expect(row.notes).toEqual([])
    })
    const d = variants[0]!.values.map((v, i) => v - baseline.values[i]!)
    const mean = d.reduce((a, b) => a + b, 0) / d.length
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (d.length - 1))
    const mde = minimumDetectableEffect({ sd, n: 6, alpha: 0.05, paired: true, comparisons: 4 })
    expect(analysis.variants[0]!.mde).toBeCloseTo(mde, 12)
  })

  test('reports the baseline summary and reachability over all variants', () => {
    expect(analysis.baseline.name).toBe('none')
    expect(analysis.baseline.summary?.mean).toBeCloseTo(0.8 + 0.02 / 6 + 0.0005 / 6, 12)
    expect(analysis.reachability.reachable).toBe(true)
    const wilcoxon = analyzeExperiment({ ...options, test: 'wilcoxon', baseline, variants })
    expect(wilcoxon.reachability.reachable).toBe(false)
    expect(wilcoxon.reachability.message).toContain('Holm over 4')
  })

  test('pairing ignores the order of seeds', () => {
    const shuffled = {
      ...variants[0]!,
      seeds: [...seeds].reverse(),
      values: [...variants[0]!.values].reverse(),
    }
    const again = analyzeExperiment({ ...options, baseline, variants: [shuffled] })
    const direct = analyzeExperiment({ ...options, baseline, variants: [variants[0]!] })
    expect(again.variants[0]!.comparison).toEqual(direct.variants[0]!.comparison)
  })

  test('paired tests drop unmatched seeds and say how many', () => {
    const partial: Arm = {
      name: 'partial',
      seeds: [11, 12, 13, 14, 99],
      values: [0.8, 0.79, 0.81, 0.84, 0.5],
    }
    const result = analyzeExperiment({ ...options, baseline, variants: [partial] })
    const row = result.variants[0]!

    expect(row.comparison?.n).toBe(4)
    expect(row.notes[0]).toContain('3 unmatched seeds dropped')
    expect(row.notes[0]).toContain('seeds 15, 16')
    expect(row.notes[0]).toContain('seeds 99')
  })

  test('unpaired tests use every run of each arm', () => {
    const fewer: Arm = { name: 'fewer', seeds: [1, 2, 3, 4], values: [0.85, 0.86, 0.84, 0.87] }
    const row = analyzeExperiment({ ...options, test: 'welch', baseline, variants: [fewer] })
      .variants[0]!
    expect(row.comparison?.n).toEqual([6, 4])
    expect(row.notes).toEqual([])
  })

  test('too few runs give null fields with a note instead of throwing', () => {
    const lonely: Arm = { name: 'lonely', seeds: [11], values: [0.8] }
    const result = analyzeExperiment({ ...options, baseline, variants: [lonely, variants[0]!] })
    const row = result.variants[0]!

    expect(row).toMatchObject({
      summary: null,
      comparison: null,
      pAdjusted: null,
      verdict: null,
      mde: null,
    })
    expect(row.notes.join(' ')).toContain('1 matched seeds')
    // Holm then covers only the one compared variant.
    expect(result.variants[1]!.pAdjusted).toBe(result.variants[1]!.comparison!.p)
    expect(result.reachability.reachable).toBe(false)
  })

  test('rejects bad options, naming the value', () => {
    const run = (change: object) => () =>
      analyzeExperiment({ ...options, baseline, variants, ...change })
    expect(run({ alpha: 1.1 })).toThrow('1.1')
    expect(run({ rope: -1 })).toThrow('-1')
    expect(run({ test: 't-test' })).toThrow("'t-test'")
  })

  test('rejects malformed arms, naming the arm and the seed', () => {
    const twice: Arm = { name: 'twice', seeds: [1, 1], values: [0.8, 0.81] }
    expect(() => analyzeExperiment({ ...options, baseline, variants: [twice] })).toThrow(
      AblateError,
    )
    expect(() => analyzeExperiment({ ...options, baseline, variants: [twice] })).toThrow(
      'seed 1 twice',
    )
    const short: Arm = { name: 'short', seeds: [1, 2], values: [0.8] }
    expect(() => analyzeExperiment({ ...options, baseline: short, variants })).toThrow("'short'")
    const nan: Arm = { name: 'nan', seeds: [11, 12], values: [0.8, Number.NaN] }
    expect(() => analyzeExperiment({ ...options, baseline, variants: [nan] })).toThrow('NaN')
  })
})

describe('gateRegressions', () => {
  const stored = arm('stored', 0)

  test('fails only on a significant regression beyond the rope, Holm over all rows', () => {
    const result = gateRegressions({
      ...options,
      comparisons: [
        { key: 'dropout > 0.1', baseline: stored, current: arm('now', 0.001) },
        { key: 'dropout > 0.5', baseline: stored, current: arm('now', -0.05) },
        { key: 'flip > on', baseline: stored, current: arm('now', 0.04) },
      ],
    })

    expect(result.failed).toBe(true)
    expect(result.rows.map((r) => [r.key, r.verdict.kind, r.regressed])).toEqual([
      ['dropout > 0.1', 'equivalent', false],
      ['dropout > 0.5', 'worse', true],
      ['flip > on', 'better', false],
    ])
    const adjusted = holm(result.rows.map((r) => r.comparison.p))
    expect(result.rows.map((r) => r.pAdjusted)).toEqual(adjusted)
  })

  test('passes on a regression inside the rope and on noise', () => {
    const result = gateRegressions({
      ...options,
      comparisons: [{ key: 'a > b', baseline: stored, current: arm('now', -0.006) }],
    })
    expect(result.failed).toBe(false)
    expect(result.rows[0]!.verdict.kind).not.toBe('worse')
  })

  test("direction 'lower' fails when the metric goes up", () => {
    const result = gateRegressions({
      ...options,
      direction: 'lower',
      comparisons: [{ key: 'loss', baseline: stored, current: arm('now', 0.05) }],
    })
    expect(result.failed).toBe(true)
  })

  test('refuses a baseline whose seeds do not match, naming key and seeds', () => {
    const other: Arm = { name: 'now', seeds: [1, 2, 3], values: [0.8, 0.81, 0.79] }
    const run = () =>
      gateRegressions({
        ...options,
        comparisons: [{ key: 'exp > v', baseline: stored, current: other }],
      })
    expect(run).toThrow(AblateError)
    expect(run).toThrow("'exp > v'")
    expect(run).toThrow('current seeds 1, 2, 3')
  })

  test('rejects duplicate keys', () => {
    const row = { key: 'k', baseline: stored, current: arm('now', 0) }
    expect(() => gateRegressions({ ...options, comparisons: [row, row] })).toThrow("'k'")
  })
})
