import { describe, expect, test } from 'vitest'
import { buildExperimentReport, plannedReachability } from '../../src/report/build.js'
import type { CollectedExperiment } from '../../src/report/collect.js'
import { renderMarkdownReport } from '../../src/report/markdown.js'
import { renderTerminalReport } from '../../src/report/terminal.js'
import { sampleStudy } from './sample-study.js'

const createdAt = new Date('2026-01-02T03:04:05.000Z')

describe('buildExperimentReport', () => {
  const report = buildExperimentReport({ group: sampleStudy(), createdAt })
  const [none, flip, x2] = report.variants

  test('keeps spec order, baseline first, with merged configs and per-seed runs', () => {
    expect(report.variants.map((v) => [v.name, v.role])).toEqual([
      ['none', 'baseline'],
      ['flip', 'variant'],
      ['x2', 'variant'],
    ])
    expect(flip?.config).toEqual({ contrast: 1, augment: { flip: 'horizontal' } })
    expect(flip?.runs.map((r) => r.seed)).toEqual([1, 2, 3, 4, 5, 6])
  })

  // Reference: scipy 1.x, stats.ttest_rel(flip, none) -> p 7.123932282251883e-07,
  // confidence_interval() (0.026402203683268746, 0.03126446298339782), mean diff 0.0288333.
  test('compares by seed with the paired t-test, matching scipy', () => {
    expect(flip?.comparison?.diff).toBeCloseTo(0.028833333333333284, 12)
    expect(flip?.comparison?.p).toBeCloseTo(7.123932282251883e-7, 12)
    expect(flip?.comparison?.ci95[0]).toBeCloseTo(0.026402203683268746, 10)
    expect(flip?.comparison?.ci95[1]).toBeCloseTo(0.03126446298339782, 10)
    expect(flip?.verdict?.kind).toBe('better')
  })

  // Reference: scipy stats.ttest_rel over seeds 1, 2, 3, 5, 6 (seed 4 failed) -> p 0.8700161552788249,
  // CI (-0.006767690746310637, 0.005967690746310637): inside ±0.01, so equivalent.
  test('leaves failed runs out of statistics, counts them, and drops their seed from pairing', () => {
    expect(x2?.counts).toEqual({ passed: 5, cached: 0, failed: 1 })
    expect(x2?.comparison?.p).toBeCloseTo(0.8700161552788249, 10)
    expect(x2?.comparison?.ci95[0]).toBeCloseTo(-0.006767690746310637, 10)
    expect(x2?.verdict?.kind).toBe('equivalent')
    expect(x2?.notes.join(' ')).toContain('seeds 4')
    expect(report.counts).toEqual({ passed: 17, cached: 0, failed: 1 })
  })

  // Holm over [7.1239e-07, 0.87002]: [1.4247864564503766e-06, 0.8700161552788249].
  test('corrects p-values with Holm over the variants', () => {
    expect(flip?.pAdjusted).toBeCloseTo(1.4247864564503766e-6, 12)
    expect(x2?.pAdjusted).toBeCloseTo(0.8700161552788249, 10)
  })

  test('summarizes the baseline without comparing it', () => {
    expect(none?.summary?.mean).toBeCloseTo(0.7941666666666667, 12)
    expect(none?.comparison).toBeNull()
    expect(none?.verdict).toBeNull()
  })

  test('gives a rerun command that selects the variant and its baseline', () => {
    expect(flip?.rerun).toBe('npm run bench -- -t "^contrast (none|flip) seed"')
  })

  test('wall time spans the first start to the last end; environment comes from the runs', () => {
    expect(report.wallTimeMs).toBe(18 * 1_500)
    expect(report.environment.backend).toBe('wasm')
    expect(report.createdAt).toBe('2026-01-02T03:04:05.000Z')
  })

  test('a study run twice from the store reports every run as cached, with equal statistics', () => {
    const cached = buildExperimentReport({ group: sampleStudy({ cached: true }), createdAt })
    expect(cached.counts).toEqual({ passed: 0, cached: 17, failed: 1 })
    expect(cached.variants.map((v) => v.comparison)).toEqual(
      report.variants.map((v) => v.comparison),
    )
  })

  test('tests skipped by a -t filter are left out, not counted as failed', () => {
    const group = sampleStudy()
    for (const t of group.tests) {
      if (t.meta.variant === 'x2')
        Object.assign(t, { state: 'skipped', meta: { ...t.meta, outcome: undefined } })
    }
    const filtered = buildExperimentReport({ group, createdAt })
    expect(filtered.variants[2]?.runs).toEqual([])
    expect(filtered.variants[2]?.comparison).toBeNull()
    expect(filtered.counts.failed).toBe(0)
  })

  test('warns when two files declare the same experiment', () => {
    const group = sampleStudy()
    group.moduleIds.push('/project/experiments/copy.exp.ts')
    const built = buildExperimentReport({ group, createdAt })
    expect(built.warnings[0]).toContain('declared in 2 files')
  })
})

/** Gives every run of the sample study the same skipped images, as the training engine reports. */
function withSkips(group: CollectedExperiment, skipped: { path: string; reason: string }[]) {
  for (const t of group.tests) {
    const outcome = t.meta.outcome
    if (outcome) outcome.details = { skippedImages: skipped.length, skipped }
  }
  return group
}

describe('buildExperimentReport: skipped images', () => {
  const skips = Array.from({ length: 7 }, (_, i) => ({
    path: `fixtures/x/${i}.png`,
    reason: i === 0 ? 'an empty file (0 bytes)' : 'Input buffer contains unsupported image format',
  }))

  test('warns once, naming at most five files with their reasons and counting the rest', () => {
    const report = buildExperimentReport({ group: withSkips(sampleStudy(), skips), createdAt })
    const warning = report.warnings.find((w) => w.includes('skipped as unreadable'))

    expect(report.warnings.filter((w) => w.includes('skipped'))).toHaveLength(1)
    expect(warning).toBe(
      '7 images were skipped as unreadable (data.skipUnreadable): ' +
        'fixtures/x/0.png (an empty file (0 bytes)); ' +
        [1, 2, 3, 4]
          .map((i) => `fixtures/x/${i}.png (Input buffer contains unsupported image format)`)
          .join('; ') +
        '; and 2 more; fix or remove them, or they stay out of every run',
    )
    expect(renderTerminalReport(report)).toContain(`! ${warning}`)
    expect(renderMarkdownReport(report)).toContain(`> **Warning:** ${warning}`)
  })

  test('says "1 image was" for one, and nothing when no finished run skipped any', () => {
    const one = buildExperimentReport({ group: withSkips(sampleStudy(), [skips[0]!]), createdAt })
    expect(one.warnings.join('\n')).toContain(
      '1 image was skipped as unreadable (data.skipUnreadable): fixtures/x/0.png (an empty',
    )
    expect(one.warnings.join('\n')).not.toContain('more')

    const none = buildExperimentReport({ group: withSkips(sampleStudy(), []), createdAt })
    expect(none.warnings).toEqual([])
  })

  test('runs stored with only a count still warn', () => {
    const group = sampleStudy()
    const outcome = group.tests[0]?.meta.outcome
    if (outcome) outcome.details = { skippedImages: 3 }
    const report = buildExperimentReport({ group, createdAt })
    expect(report.warnings).toEqual([
      '3 images were skipped as unreadable (data.skipUnreadable): the runs did not record which; ' +
        'fix or remove them, or they stay out of every run',
    ])
  })
})

describe('plannedReachability', () => {
  // 6 seeds: the exact Wilcoxon signed-rank test's smallest two-sided p is 2 / 2^6 = 0.03125,
  // above alpha / 2 = 0.025, the first Holm threshold with 2 variants.
  test('says before any run that a paired Wilcoxon with 6 seeds cannot reach alpha under Holm', () => {
    const meta = sampleStudy().meta
    const check = plannedReachability({
      meta: { ...meta, options: { ...meta.options, test: 'wilcoxon' } },
    })
    expect(check.reachable).toBe(false)
    expect(check.minP).toBeCloseTo(0.03125, 12)
  })

  test('the paired t-test can reach it', () => {
    expect(plannedReachability({ meta: sampleStudy().meta }).reachable).toBe(true)
  })
})
