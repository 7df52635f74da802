import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { buildExperimentReport } from '../../src/report/build.js'
import { writeReportFiles } from '../../src/report/files.js'
import { gateReports } from '../../src/report/gate.js'
import { renderMarkdownReport } from '../../src/report/markdown.js'
import { renderGateSummary, renderTerminalReport } from '../../src/report/terminal.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { baselineFromReport } from '../../src/store/baseline.js'
import { SAMPLE_ENVIRONMENT, SAMPLE_VALUES, sampleStudy } from './sample-study.js'

const createdAt = new Date('2026-01-02T03:04:05.000Z')

/** Timings change from run to run; everything else in the output must not. */
function maskTimings(text: string): string {
  return text.replace(/wall [\d.]+ (ms|s|min \d+ s)/g, 'wall <time>')
}

function sampleReport(): ExperimentReport {
  return buildExperimentReport({ group: sampleStudy(), createdAt })
}

describe('renderTerminalReport', () => {
  test('prints the verdict table, counts, failures and rerun commands', () => {
    expect(maskTimings(renderTerminalReport(sampleReport()))).toMatchSnapshot()
  })

  test("prints the experiment's description under its header", () => {
    const report = { ...sampleReport(), description: 'random init: no weights offline' }
    const lines = renderTerminalReport(report).split('\n')
    expect(lines[2]).toBe('random init: no weights offline')
    expect(renderTerminalReport(sampleReport())).not.toContain('random init')
  })

  test('says when the test cannot reach alpha', () => {
    const report = sampleReport()
    report.reachability = {
      reachable: false,
      minP: 0.03125,
      message: 'cannot reach 0.05 at 0.03125',
    }
    expect(renderTerminalReport(report)).toContain('! cannot reach 0.05 at 0.03125')
  })
})

describe('renderMarkdownReport', () => {
  test('renders the table, per-seed values and the environment', () => {
    expect(maskTimings(renderMarkdownReport(sampleReport()))).toMatchSnapshot()
  })

  test("puts the experiment's description under the options line", () => {
    const report = { ...sampleReport(), description: 'random init: no weights offline' }
    const blocks = renderMarkdownReport(report).split('\n\n')
    expect(blocks[2]).toBe('random init: no weights offline')
  })
})

describe('writeReportFiles', () => {
  test('writes JSON, markdown, summary.json and appends the GitHub step summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ablate-reports-'))
    try {
      const stepSummary = join(dir, 'step-summary.md')
      await writeFile(stepSummary, 'earlier step\n')
      const report = sampleReport()
      await writeReportFiles({
        reports: [report],
        gate: null,
        dir: join(dir, 'reports'),
        env: { GITHUB_STEP_SUMMARY: stepSummary },
      })

      expect((await readdir(join(dir, 'reports'))).sort()).toEqual([
        'contrast.json',
        'contrast.md',
        'summary.json',
      ])
      const json = JSON.parse(await readFile(join(dir, 'reports', 'contrast.json'), 'utf8'))
      expect(json).toEqual(JSON.parse(JSON.stringify(report)))
      expect(json.variants[1].runs[0]).toMatchObject({ seed: 1, value: 0.829, state: 'passed' })
      const summary = JSON.parse(await readFile(join(dir, 'reports', 'summary.json'), 'utf8'))
      expect(summary.experiments[0].variants.map((v: { verdict: string }) => v.verdict)).toEqual([
        'baseline',
        'better',
        'equivalent',
      ])
      const step = await readFile(stepSummary, 'utf8')
      expect(step.startsWith('earlier step\n# ablate results')).toBe(true)
      expect(step).toContain('| flip | 6 |')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('renderGateSummary', () => {
  test('lists every gated row, marks regressions and refusals', () => {
    const saved = sampleReport()
    const worse = {
      ...SAMPLE_VALUES,
      flip: (SAMPLE_VALUES.flip ?? []).map((v, i) => (v === null ? null : v - 0.03 + i * 0.0005)),
    }
    const current = buildExperimentReport({ group: sampleStudy({ values: worse }), createdAt })
    const other = buildExperimentReport({
      group: sampleStudy({ name: 'other', environment: { ...SAMPLE_ENVIRONMENT, backend: 'cpu' } }),
      createdAt,
    })
    const savedOther = buildExperimentReport({ group: sampleStudy({ name: 'other' }), createdAt })
    const baselines = new Map([
      ['contrast', { path: 'baselines/contrast.json', file: baselineFromReport(saved, createdAt) }],
      ['other', { path: 'baselines/other.json', file: baselineFromReport(savedOther, createdAt) }],
    ])
    const { reports, decision } = gateReports({
      reports: [current, other],
      baselines,
      allowEnvironmentMismatch: false,
    })
    expect(decision).toMatchObject({
      failed: true,
      regressed: ['contrast > flip'],
      refused: ['other'],
    })
    expect(renderGateSummary(reports)).toMatchSnapshot()
  })
})
