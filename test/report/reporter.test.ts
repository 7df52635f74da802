import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { TestModule } from 'vitest/node'
import { buildExperimentReport } from '../../src/report/build.js'
import type { CollectedTest } from '../../src/report/collect.js'
import { AblateReporter } from '../../src/report/reporter.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { baselineFromReport, writeBaselineFile } from '../../src/store/baseline.js'
import { SAMPLE_VALUES, sampleStudy } from './sample-study.js'

/** Just enough of vitest's TestModule for the reporter: tests with meta, result and timing. */
function fakeModule(tests: CollectedTest[], errors: { message: string }[] = []): TestModule {
  const cases = tests.map((t) => ({
    meta: () => ({ ablate: t.meta }),
    result: () => ({
      state: t.state,
      errors: t.errorMessage ? [{ message: t.errorMessage }] : undefined,
    }),
    diagnostic: () => ({ startTime: t.startTime, duration: t.durationMs }),
  }))
  return {
    moduleId: '/project/experiments/contrast.exp.ts',
    relativeModuleId: 'experiments/contrast.exp.ts',
    children: { allTests: () => cases.values() },
    errors: () => errors,
  } as unknown as TestModule
}

let dir: string
let exitCode: typeof process.exitCode
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-reporter-'))
  exitCode = process.exitCode
})
afterEach(async () => {
  process.exitCode = exitCode
  await rm(dir, { recursive: true, force: true })
})

function reporterWith(written: ExperimentReport[][]) {
  const lines: string[] = []
  const reporter = new AblateReporter({
    reportsDir: join(dir, 'reports'),
    baselinesDir: join(dir, 'baselines'),
    writers: [async ({ reports }) => void written.push(reports)],
  })
  reporter.onInit({ logger: { log: (text: string) => lines.push(text) } } as never)
  return { reporter, lines }
}

describe('AblateReporter.onTestModuleCollected', () => {
  /** The sample study as collected, before any run, with the given test. */
  function collected(test: 'wilcoxon' | 'paired-t'): TestModule {
    const study = sampleStudy()
    const options = { ...study.meta.options, test }
    const tests = study.tests.map((t) => ({
      ...t,
      meta: { ...t.meta, experiment: { ...t.meta.experiment, options }, outcome: undefined },
      state: 'pending' as const,
    }))
    return fakeModule(tests)
  }

  test('warns once, before any run, when the test can never reach alpha', () => {
    const { reporter, lines } = reporterWith([])
    reporter.onTestModuleCollected(collected('wilcoxon'))
    reporter.onTestModuleCollected(collected('wilcoxon'))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^! contrast: The paired Wilcoxon .* cannot go below p = 0\.03125/)
  })

  test('stays quiet when it can', () => {
    const { reporter, lines } = reporterWith([])
    reporter.onTestModuleCollected(collected('paired-t'))
    expect(lines).toEqual([])
  })
})

describe('AblateReporter.onTestRunEnd', () => {
  test('prints the tables, writes the files, calls extra writers, leaves the exit code alone', async () => {
    const written: ExperimentReport[][] = []
    const { reporter, lines } = reporterWith(written)
    await reporter.onTestRunEnd([fakeModule(sampleStudy().tests)])

    expect(lines.join('\n')).toContain('flip                  6  0.8230')
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual([
      'contrast.json',
      'contrast.md',
      'summary.json',
    ])
    expect(written[0]?.map((r) => r.experiment)).toEqual(['contrast'])
    expect(process.exitCode).toBe(exitCode)
  })

  test('sets exit code 1 and names the variant when the gate finds a regression', async () => {
    const saved = buildExperimentReport({ group: sampleStudy() })
    await writeBaselineFile({
      path: join(dir, 'baselines', 'contrast.json'),
      file: baselineFromReport(saved),
    })
    const worse = {
      ...SAMPLE_VALUES,
      flip: (SAMPLE_VALUES.flip ?? []).map((v, i) => (v === null ? null : v - 0.04 + i * 0.001)),
    }
    const { reporter, lines } = reporterWith([])
    await reporter.onTestRunEnd([fakeModule(sampleStudy({ values: worse }).tests)])

    expect(process.exitCode).toBe(1)
    expect(lines.join('\n')).toContain('regression gate: FAILED (regressed contrast > flip)')
  })

  test('prints errors raised outside tests, e.g. a spec rejected at collection', async () => {
    const { reporter, lines } = reporterWith([])
    await reporter.onTestRunEnd([
      fakeModule([], [{ message: "experiment 'x': option 'seeds' ..." }]),
    ])
    expect(lines).toEqual(["x experiments/contrast.exp.ts: experiment 'x': option 'seeds' ..."])
  })
})
