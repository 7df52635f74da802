import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  formatDurationMs,
  formatInterval,
  formatMeanCi,
  formatP,
  formatSigned,
  formatValue,
} from '../../src/report/html-format.js'

describe('html-format', () => {
  test('never prints NaN or Infinity: non-finite input shows an en dash', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(formatValue(bad)).toBe('–')
      expect(formatSigned(bad)).toBe('–')
      expect(formatP(bad)).toBe('–')
      expect(formatDurationMs(bad)).toBe('–')
    }
    expect(formatMeanCi(0.5, [Number.NaN, Number.NaN])).toBe('0.500')
    expect(formatInterval([Number.NaN, 0.01])).toBe('[–, +0.010]')
  })

  test('signed values carry + or a true minus, and zero carries neither', () => {
    expect(formatSigned(0.0123)).toBe('+0.012')
    expect(formatSigned(-0.0123)).toBe('−0.012')
    expect(formatSigned(-0.0001)).toBe('0.000')
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (value) => {
        const text = formatSigned(value)
        expect(Number(text.replace('−', '-'))).toBeCloseTo(value, 2)
      }),
    )
  })

  test('mean ± CI shows the half-width of the interval', () => {
    expect(formatMeanCi(0.8, [0.78, 0.83])).toBe('0.800 ± 0.025')
  })

  test('p-values: three decimals, then < 0.001', () => {
    expect(formatP(0.0312)).toBe('0.031')
    expect(formatP(1)).toBe('1.000')
    expect(formatP(0.00099)).toBe('< 0.001')
  })

  test('durations pick ms, s or min', () => {
    expect(formatDurationMs(850.4)).toBe('850 ms')
    expect(formatDurationMs(12_345)).toBe('12.3 s')
    expect(formatDurationMs(245_000)).toBe('4 min 05 s')
    expect(formatDurationMs(-1)).toBe('–')
  })
})
