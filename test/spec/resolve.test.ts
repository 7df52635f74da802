import { describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { checkRows } from '../../src/spec/experiment.js'
import { checkDefaultRunMetric, resolveExperimentOptions } from '../../src/spec/resolve.js'

function resolveWith(options: Parameters<typeof resolveExperimentOptions>[0]['options']) {
  return resolveExperimentOptions({ experiment: 'dropout', options })
}

function specError(fn: () => unknown): AblateError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(AblateError)
    expect((error as AblateError).code).toBe('ABLATE_SPEC_INVALID')
    return error as AblateError
  }
  throw new Error('expected a spec error, none was thrown')
}

describe('resolveExperimentOptions', () => {
  test('applies the documented defaults', () => {
    const resolved = resolveWith({})
    expect(resolved).toMatchObject({
      repetitions: 6,
      seeds: [1, 2, 3, 4, 5, 6],
      metric: 'f1Macro',
      direction: 'higher',
      alpha: 0.05,
      rope: 0.01,
      test: 'paired-t',
      timeoutMs: 1_800_000,
      concurrency: 1,
      run: null,
      config: {},
      version: '1',
    })
  })

  test('keeps a trimmed description and rejects one that is not a string', () => {
    expect(resolveWith({}).description).toBeNull()
    expect(resolveWith({ description: '  random init  ' }).description).toBe('random init')
    const error = specError(() => resolveWith({ description: 42 as unknown as string }))
    expect(error.message).toContain("option 'description' must be a string, got 42")
  })

  test('takes the repetitions from an explicit seed list', () => {
    expect(resolveWith({ seeds: [7, 3, 9] })).toMatchObject({ repetitions: 3, seeds: [7, 3, 9] })
  })

  test.each([
    [{ repetitions: 1 }, "option 'repetitions'", 'found 1'],
    [{ seeds: [5] }, "option 'seeds'", 'found 1'],
    [{ seeds: [1, 2, 2] }, "option 'seeds'", '[1, 2, 2]'],
    [{ seeds: [1, 2], repetitions: 3 }, "option 'seeds'", 'repetitions is 3'],
    [{ test: 'bogus' as never }, "option 'test'", "'bogus'"],
    [{ alpha: 1.5 }, "option 'alpha'", '1.5'],
    [{ rope: -0.1 }, "option 'rope'", '-0.1'],
    [{ metric: 'latencyMs', direction: 'lower' as const }, "option 'rope'", "'latencyMs'"],
    [{ metric: 'latencyMs', rope: 5 }, "option 'direction'", "'latencyMs'"],
    [{ direction: 'up' as never }, "option 'direction'", "'up'"],
    [{ concurrency: 0 }, "option 'concurrency'", 'found 0'],
    [{ timeoutMs: -5 }, "option 'timeoutMs'", '-5'],
  ])('rejects %o naming the experiment, the option and the value', (options, option, value) => {
    const error = specError(() => resolveWith(options))
    expect(error.message).toContain("experiment 'dropout'")
    expect(error.message).toContain(option)
    expect(error.message).toContain(value)
  })

  test('accepts an unknown metric when its rope is given', () => {
    expect(resolveWith({ metric: 'latencyMs', rope: 5, direction: 'lower' })).toMatchObject({
      metric: 'latencyMs',
      rope: 5,
      direction: 'lower',
    })
  })
})

describe('checkDefaultRunMetric', () => {
  test('rejects a metric the default run never returns, naming it and the ones it does', () => {
    const error = specError(() =>
      checkDefaultRunMetric({
        experiment: 'flip',
        metric: 'f1macro',
        baselineUsesDefaultRun: true,
      }),
    )
    expect(error.message).toContain("experiment 'flip': option 'metric' 'f1macro'")
    expect(error.message).toContain('f1Macro, f1Micro, f1Weighted, accuracy')
  })

  test("accepts the default run's metrics, and any metric of a run function of your own", () => {
    const check = (metric: string, baselineUsesDefaultRun: boolean) => () =>
      checkDefaultRunMetric({ experiment: 'flip', metric, baselineUsesDefaultRun })
    expect(check('accuracy', true)).not.toThrow()
    expect(check('latencyMs', false)).not.toThrow()
  })
})

describe('checkRows', () => {
  const row = (name: string, role: 'baseline' | 'variant' = 'variant') => ({
    name,
    role,
    config: {},
  })

  test('rejects a spec without a baseline', () => {
    const error = specError(() => checkRows('flip', [row('a'), row('b')]))
    expect(error.message).toContain("experiment 'flip': option 'baseline'")
    expect(error.message).toContain('found none')
  })

  test('rejects two baselines, naming both', () => {
    const error = specError(() => checkRows('flip', [row('a', 'baseline'), row('b', 'baseline')]))
    expect(error.message).toContain("'a', 'b'")
  })

  test('rejects duplicate names', () => {
    const error = specError(() => checkRows('flip', [row('none', 'baseline'), row('h'), row('h')]))
    expect(error.message).toContain("'h' twice")
  })

  test('rejects a baseline without variants', () => {
    const error = specError(() => checkRows('flip', [row('none', 'baseline')]))
    expect(error.message).toContain("option 'variant'")
  })

  test('accepts one baseline and distinct variants', () => {
    expect(() => checkRows('flip', [row('none', 'baseline'), row('h'), row('v')])).not.toThrow()
  })
})
