import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { buildExperimentReport } from '../../src/report/build.js'
import { classMixOf, describeClassMix, formatShare } from '../../src/report/class-mix.js'
import { renderHtmlReport } from '../../src/report/html.js'
import { renderMarkdownReport } from '../../src/report/markdown.js'
import { renderTerminalReport } from '../../src/report/terminal.js'
import type { SeedRun, VariantReport } from '../../src/report/types.js'
import { sampleStudy } from './sample-study.js'

const CLASSES = ['T-shirt', 'Pullover', 'Shirt']

function run(args: { seed: number; details?: Record<string, unknown>; failed?: boolean }): SeedRun {
  const base = { seed: args.seed, repetition: args.seed - 1, durationMs: 10 }
  const details = args.details === undefined ? {} : { details: args.details }
  if (args.failed) {
    return {
      ...base,
      ...details,
      state: 'failed',
      value: null,
      metrics: {},
      error: { message: 'x' },
    }
  }
  return { ...base, ...details, state: 'passed', value: 0.5, metrics: { f1Macro: 0.5 } }
}

function counts(train: number[], validation: number[] = [48, 24, 12]) {
  return {
    classNames: CLASSES,
    trainClassCounts: train,
    trainSplitClassCounts: [192, 96, 48],
    validationClassCounts: validation,
  }
}

describe('classMixOf', () => {
  test('averages the images drawn per class over finished runs; failed runs do not count', () => {
    const mix = classMixOf([
      run({ seed: 1, details: counts([1920, 960, 480]) }),
      run({ seed: 2, details: counts([1900, 980, 480]) }),
      run({ seed: 3, details: counts([0, 0, 9999]), failed: true }),
    ])

    expect(mix).toEqual({
      classNames: CLASSES,
      runs: 2,
      train: [1910, 970, 480],
      trainShare: [1910 / 3360, 970 / 3360, 480 / 3360],
      trainSplit: [192, 96, 48],
      validation: [48, 24, 12],
    })
  })

  test('no class counts, malformed counts or disagreeing class names give no mix', () => {
    expect(classMixOf([run({ seed: 1 })])).toBeNull()
    expect(classMixOf([run({ seed: 1, details: { trainClassCounts: [1, 2] } })])).toBeNull()
    expect(classMixOf([run({ seed: 1, details: counts([1, 2]) })])).toBeNull()
    expect(classMixOf([run({ seed: 1, details: counts([1, -2, 3]) })])).toBeNull()
    const renamed = { ...counts([1, 2, 3]), classNames: ['a', 'b', 'c'] }
    expect(
      classMixOf([
        run({ seed: 1, details: counts([1, 2, 3]) }),
        run({ seed: 2, details: renamed }),
      ]),
    ).toBeNull()
  })

  test('a malformed validation count keeps the training mix and drops only the validation row', () => {
    const mix = classMixOf([run({ seed: 1, details: counts([2, 1, 1], [1, 2]) })])

    expect(mix?.trainShare).toEqual([0.5, 0.25, 0.25])
    expect(mix?.trainSplit).toEqual([192, 96, 48])
    expect(mix?.validation).toBeNull()
  })

  test('runs stored before the training split was counted give a mix without it', () => {
    const { trainSplitClassCounts: _, ...older } = counts([2, 1, 1])
    const mix = classMixOf([run({ seed: 1, details: older })])

    expect(mix?.trainSplit).toBeNull()
    expect(mix?.validation).toEqual([48, 24, 12])
    expect(describeClassMix([{ name: 'a', classMix: mix } as VariantReport])).toEqual([
      'class mix seen in training (every variant): T-shirt 50% · Pullover 25% · Shirt 25%',
    ])
  })

  test('property: shares are in [0, 1], sum to 1 and keep the order of the counts', () => {
    const countLists = fc.array(
      fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: 3, maxLength: 3 }),
      {
        minLength: 1,
        maxLength: 6,
      },
    )
    fc.assert(
      fc.property(countLists, (lists) => {
        const total = lists.flat().reduce((a, b) => a + b, 0)
        fc.pre(total > 0)
        const mix = classMixOf(
          lists.map((train, i) => run({ seed: i + 1, details: counts(train) })),
        )
        if (mix === null) return false
        const sum = mix.trainShare.reduce((a, b) => a + b, 0)
        const sums = [0, 1, 2].map((k) => lists.reduce((s, l) => s + (l[k] as number), 0))
        const orderKept = [0, 1, 2].every((i) =>
          [0, 1, 2].every(
            (j) =>
              (sums[i] as number) <= (sums[j] as number) ||
              (mix.trainShare[i] as number) > (mix.trainShare[j] as number),
          ),
        )
        return (
          mix.trainShare.every((s) => s >= 0 && s <= 1) && Math.abs(sum - 1) < 1e-12 && orderKept
        )
      }),
    )
  })
})

describe('formatShare and describeClassMix', () => {
  test('shares are whole percent, one decimal below 10%', () => {
    expect([0.5714, 0.2857, 0.0952, 0].map(formatShare)).toEqual(['57%', '29%', '9.5%', '0.0%'])
  })

  test('one line when every variant saw the same mix, one per variant otherwise', () => {
    const mix = classMixOf([run({ seed: 1, details: counts([4, 2, 1]) })])
    const even = classMixOf([run({ seed: 1, details: counts([3, 3, 3]) })])
    const variant = (name: string, classMix: VariantReport['classMix']) =>
      ({ name, classMix }) as VariantReport

    const split =
      'images per class, training / validation split (every variant): ' +
      'T-shirt 192 / 48 · Pullover 96 / 24 · Shirt 48 / 12'
    expect(describeClassMix([variant('a', mix), variant('b', mix)])).toEqual([
      'class mix seen in training (every variant): T-shirt 57% · Pullover 29% · Shirt 14%',
      split,
    ])
    expect(describeClassMix([variant('unbalanced', mix), variant('balanced', even)])).toEqual([
      'class mix seen in training:',
      '  unbalanced: T-shirt 57% · Pullover 29% · Shirt 14%',
      '  balanced: T-shirt 33% · Pullover 33% · Shirt 33%',
      split,
    ])
    expect(describeClassMix([variant('a', null)])).toEqual([])
  })
})

describe('the reports show the class mix', () => {
  function studyWithCounts() {
    const group = sampleStudy()
    for (const t of group.tests) {
      const outcome = t.meta.outcome
      if (!outcome || outcome.state === 'failed') continue
      const train = t.meta.variant === 'flip' ? [1120, 1120, 1120] : [1920, 960, 480]
      outcome.details = counts(train)
    }
    return buildExperimentReport({ group, createdAt: new Date(0) })
  }

  test('markdown: a table with shares per variant and the counts of both splits', () => {
    const markdown = renderMarkdownReport(studyWithCounts())

    expect(markdown).toContain('### Class mix seen in training')
    expect(markdown).toContain('| variant | T-shirt | Pullover | Shirt | images drawn per run |')
    expect(markdown).toContain('| none | 57% | 29% | 14% | 3,360 |')
    expect(markdown).toContain('| flip | 33% | 33% | 33% | 3,360 |')
    expect(markdown).toContain('| training split | 192 | 96 | 48 | 336 |')
    expect(markdown).toContain('| validation split | 48 | 24 | 12 | 84 |')
  })

  test('terminal: one line per variant when the mixes differ', () => {
    const text = renderTerminalReport(studyWithCounts())

    expect(text).toContain('  flip: T-shirt 33% · Pullover 33% · Shirt 33%')
    expect(text).toContain('  x2: T-shirt 57% · Pullover 29% · Shirt 14%')
    expect(text).toContain(
      'images per class, training / validation split (every variant): ' +
        'T-shirt 192 / 48 · Pullover 96 / 24 · Shirt 48 / 12',
    )
  })

  test('HTML: a class-mix table; none for runs without class counts', async () => {
    const withCounts = await renderHtmlReport([studyWithCounts()])
    const without = buildExperimentReport({ group: sampleStudy(), createdAt: new Date(0) })

    expect(withCounts).toContain('<table class="class-mix">')
    expect(withCounts).toMatch(/<th scope="row">validation split<\/th><td class="num">48<\/td>/)
    expect(renderMarkdownReport(without)).not.toContain('Class mix')
    expect(await renderHtmlReport([without])).not.toContain('class-mix')
  })
})
