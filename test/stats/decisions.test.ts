import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { type Comparison, compare, decideVerdict, holm } from '../../src/stats/index.js'

describe('holm', () => {
  // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02 (step-down by hand:
  // 4 x 0.005, 3 x 0.01, max(2 x 0.03, ...), max(1 x 0.04, 0.06)).
  test('matches the step-down values, in input order', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005])
    ;[0.03, 0.06, 0.06, 0.02].forEach((want, i) => {
      expect(adjusted[i]).toBeCloseTo(want, 14)
    })
  })

  test('caps at 1 and keeps a single p as is', () => {
    expect(holm([0.3, 0.6])).toEqual([0.6, 0.6])
    expect(holm([0.9, 0.8, 0.7])).toEqual([1, 1, 1])
    expect(holm([0.02])).toEqual([0.02])
    expect(holm([])).toEqual([])
  })

  test('rejects a p outside [0, 1], naming it', () => {
    expect(() => holm([0.1, 1.5])).toThrow(AblateError)
    expect(() => holm([0.1, Number.NaN])).toThrow('pValues[1]')
    expect(() => holm([0.1, 1.5])).toThrow('1.5')
  })
})

function comparison(ci95: [number, number], diff = (ci95[0] + ci95[1]) / 2): Comparison {
  return { test: 'paired-t', diff, ci95, p: 0.01, effectSize: { name: 'dz', value: 1 }, n: 6 }
}

describe('decideVerdict', () => {
  const base = { alpha: 0.05, rope: 0.01, direction: 'higher' as const }

  test.each([
    { ci: [0.02, 0.05], p: 0.01, kind: 'better', label: 'significantly better' },
    { ci: [-0.05, -0.02], p: 0.01, kind: 'worse', label: 'significantly worse' },
    { ci: [0.005, 0.03], p: 0.01, kind: 'negligible', label: 'significant but not beyond ±0.01' },
    { ci: [0.002, 0.008], p: 0.01, kind: 'negligible', label: 'significant but not beyond ±0.01' },
    { ci: [-0.008, 0.009], p: 0.3, kind: 'equivalent', label: 'equivalent within ±0.01' },
    {
      ci: [-0.02, 0.03],
      p: 0.3,
      kind: 'inconclusive',
      label: 'no statistically significant difference',
    },
    // Corrected p exactly at alpha is not significant.
    {
      ci: [0.02, 0.05],
      p: 0.05,
      kind: 'inconclusive',
      label: 'no statistically significant difference',
    },
  ] as const)('CI $ci with corrected p $p is $kind', ({ ci, p, kind, label }) => {
    const verdict = decideVerdict({ ...base, comparison: comparison([...ci]), pAdjusted: p })
    expect(verdict).toEqual({ kind, label })
  })

  test("direction 'lower' swaps better and worse", () => {
    const down = comparison([-0.05, -0.02])
    const args = { ...base, direction: 'lower' as const, pAdjusted: 0.01 }
    expect(decideVerdict({ ...args, comparison: down }).kind).toBe('better')
    expect(decideVerdict({ ...args, comparison: comparison([0.02, 0.05]) }).kind).toBe('worse')
  })

  test('rope 0: any significant interval clear of 0 decides; identical runs are equivalent', () => {
    const args = { ...base, rope: 0, pAdjusted: 0.01 }
    expect(decideVerdict({ ...args, comparison: comparison([0.0001, 0.002]) }).kind).toBe('better')
    const same = decideVerdict({ ...args, pAdjusted: 1, comparison: comparison([0, 0]) })
    expect(same).toEqual({ kind: 'equivalent', label: 'equivalent within ±0' })
  })

  test.each([
    { change: { alpha: 1.2 }, bad: '1.2' },
    { change: { alpha: 0 }, bad: 'alpha' },
    { change: { rope: -0.01 }, bad: '-0.01' },
    { change: { pAdjusted: 2 }, bad: 'got 2' },
    { change: { direction: 'up' }, bad: "'up'" },
  ])('rejects $change', ({ change, bad }) => {
    const args = { ...base, comparison: comparison([0.02, 0.05]), pAdjusted: 0.01, ...change }
    // @ts-expect-error direction deliberately wrong in one case
    expect(() => decideVerdict(args)).toThrow(bad)
  })
})

describe('compare errors', () => {
  test.each([
    { args: { baseline: [1, 2, 3], variant: [1, 2], test: 'paired-t' }, bad: '3 baseline and 2' },
    { args: { baseline: [1], variant: [1, 2], test: 'welch' }, bad: 'got 1' },
    { args: { baseline: [1, 2], variant: [1, Number.NaN], test: 'welch' }, bad: 'NaN' },
    { args: { baseline: [1, 2], variant: [1, 2], test: 'anova' }, bad: "'anova'" },
  ])('rejects $bad', ({ args, bad }) => {
    // @ts-expect-error one case passes an unknown test on purpose
    expect(() => compare(args)).toThrow(AblateError)
    // @ts-expect-error as above
    expect(() => compare(args)).toThrow(bad)
  })
})

describe('decideVerdict properties', () => {
  const cases = fc.record({
    low: fc.double({ min: -0.2, max: 0.2, noNaN: true }),
    width: fc.double({ min: 0, max: 0.2, noNaN: true }),
    pAdjusted: fc.double({ min: 0, max: 1, noNaN: true }),
    rope: fc.double({ min: 0, max: 0.05, noNaN: true }),
  })

  test('each verdict holds exactly its documented condition', () => {
    fc.assert(
      fc.property(cases, ({ low, width, pAdjusted, rope }) => {
        const ci95: [number, number] = [low, low + width]
        const { kind } = decideVerdict({
          comparison: comparison(ci95),
          pAdjusted,
          alpha: 0.05,
          rope,
          direction: 'higher',
        })
        const significant = pAdjusted < 0.05
        expect(kind === 'better').toBe(significant && ci95[0] > rope)
        expect(kind === 'worse').toBe(significant && ci95[1] < -rope)
        expect(kind === 'equivalent').toBe(!significant && ci95[0] >= -rope && ci95[1] <= rope)
        if (kind === 'negligible') expect(significant).toBe(true)
      }),
    )
  })

  test("'lower' on the negated interval mirrors 'higher'", () => {
    fc.assert(
      fc.property(cases, ({ low, width, pAdjusted, rope }) => {
        const base = { pAdjusted, alpha: 0.05, rope }
        const up = decideVerdict({
          ...base,
          comparison: comparison([low, low + width]),
          direction: 'higher',
        })
        const down = decideVerdict({
          ...base,
          comparison: comparison([-low - width, -low]),
          direction: 'lower',
        })
        expect(down).toEqual(up)
      }),
    )
  })
})
