import { describe, expect, test } from 'vitest'
import { buildExperimentReport } from '../../src/report/build.js'
import { captureEnvironment } from '../../src/report/environment.js'
import { gateReports, type LoadedBaseline } from '../../src/report/gate.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { holm } from '../../src/stats/index.js'
import { baselineFromReport } from '../../src/store/baseline.js'
import { SAMPLE_ENVIRONMENT, SAMPLE_VALUES, sampleStudy } from './sample-study.js'

const createdAt = new Date('2026-01-02T03:04:05.000Z')

function reportWith(args: Parameters<typeof sampleStudy>[0] = {}): ExperimentReport {
  return buildExperimentReport({ group: sampleStudy(args), createdAt })
}

function savedFrom(report: ExperimentReport): Map<string, LoadedBaseline> {
  const file = baselineFromReport(report, createdAt)
  return new Map([[report.experiment, { path: `baselines/${report.experiment}.json`, file }]])
}

/** The sample values with `shift` added to one variant, seed by seed, plus a small seeded wobble. */
function shifted(variant: string, shift: number): Record<string, (number | null)[]> {
  const wobble = [0.001, -0.002, 0.0015, 0, -0.001, 0.0005]
  return {
    ...SAMPLE_VALUES,
    [variant]: (SAMPLE_VALUES[variant] ?? []).map((v, i) =>
      v === null ? null : v + shift + (wobble[i] ?? 0),
    ),
  }
}

describe('gateReports', () => {
  const saved = reportWith()

  test('passes when the current runs are the saved ones', () => {
    const { decision, reports } = gateReports({
      reports: [reportWith({ cached: true })],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: false,
    })
    expect(decision).toEqual({ failed: false, regressed: [], refused: [], skipped: [] })
    expect(reports[0]?.gate?.rows.map((r) => r.key)).toEqual([
      'contrast > none',
      'contrast > flip',
      'contrast > x2',
    ])
  })

  test('fails on a variant significantly worse beyond the rope, naming it', () => {
    const current = reportWith({ values: shifted('flip', -0.03) })
    const { decision, reports } = gateReports({
      reports: [current],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: false,
    })
    expect(decision.failed).toBe(true)
    expect(decision.regressed).toEqual(['contrast > flip'])
    const row = reports[0]?.gate?.rows.find((r) => r.variant === 'flip')
    expect(row?.comparison.diff).toBeCloseTo(-0.03, 3)
    expect(row?.verdict.kind).toBe('worse')
  })

  test('does not fail on a significant change inside the rope', () => {
    const current = reportWith({ values: shifted('flip', -0.004) })
    const { decision, reports } = gateReports({
      reports: [current],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: false,
    })
    expect(decision.failed).toBe(false)
    const row = reports[0]?.gate?.rows.find((r) => r.variant === 'flip')
    expect(['negligible', 'equivalent', 'inconclusive']).toContain(row?.verdict.kind)
  })

  test('corrects with Holm over every gated comparison of the run, across experiments', () => {
    const other = buildExperimentReport({ group: sampleStudy({ name: 'flip-study' }), createdAt })
    const baselines = new Map([...savedFrom(saved), ...savedFrom(other)])
    const currentA = reportWith({ values: shifted('flip', -0.03) })
    const currentB = buildExperimentReport({
      group: sampleStudy({ name: 'flip-study', values: shifted('x2', -0.02) }),
      createdAt,
    })
    const { reports } = gateReports({
      reports: [currentA, currentB],
      baselines,
      allowEnvironmentMismatch: false,
    })
    const rows = reports.flatMap((r) => r.gate?.rows ?? [])
    expect(rows).toHaveLength(6)
    const expected = holm(rows.map((r) => r.comparison.p))
    expect(rows.map((r) => r.pAdjusted)).toEqual(expected)
  })

  test('refuses a baseline saved in another environment, and fails, naming the field', () => {
    const current = reportWith({ environment: { ...SAMPLE_ENVIRONMENT, backend: 'tensorflow' } })
    const { decision, reports } = gateReports({
      reports: [current],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: false,
    })
    expect(decision).toMatchObject({ failed: true, refused: ['contrast'] })
    expect(reports[0]?.gate?.state).toBe('refused')
    expect(reports[0]?.gate?.environmentMismatch).toEqual(['backend (wasm -> tensorflow)'])
    expect(reports[0]?.gate?.rows).toEqual([])
  })

  test('compares anyway and keeps the flag when the mismatch is allowed', () => {
    const current = reportWith({ environment: { ...SAMPLE_ENVIRONMENT, gpu: 'H200' } })
    const { decision, reports } = gateReports({
      reports: [current],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: true,
    })
    expect(decision.failed).toBe(false)
    expect(reports[0]?.gate?.state).toBe('compared')
    expect(reports[0]?.gate?.environmentMismatch).toEqual(['gpu (null -> H200)'])
  })

  test('a CPU model or Node version change alone is not a mismatch', () => {
    const env = {
      ...SAMPLE_ENVIRONMENT,
      cpuModel: 'Other CPU',
      node: 'v22.1.0',
      ablateVersion: '0.2.0',
    }
    const { decision } = gateReports({
      reports: [reportWith({ environment: env })],
      baselines: savedFrom(saved),
      allowEnvironmentMismatch: false,
    })
    expect(decision.refused).toEqual([])
  })

  test('GPUs are compared by model, not by the index each worker was given', () => {
    const on = (gpu: string | null) => ({ ...SAMPLE_ENVIRONMENT, backend: 'tensorflow-gpu', gpu })
    const gate = (before: string | null, now: string | null) =>
      gateReports({
        reports: [reportWith({ environment: on(now) })],
        baselines: savedFrom(reportWith({ environment: on(before) })),
        allowEnvironmentMismatch: false,
      })

    expect(gate('cuda:0 (NVIDIA H200)', 'cuda:1 (NVIDIA H200)').decision.refused).toEqual([])
    // No model name on one side (no nvidia-smi, or an older record): only "a GPU ran" is compared.
    expect(gate('cuda:0', 'cuda:1').decision.refused).toEqual([])
    expect(gate('cuda:0', 'cuda:1 (NVIDIA H200)').decision.refused).toEqual([])
    const otherModel = gate('cuda:0 (NVIDIA H200)', 'cuda:0 (NVIDIA A100-SXM4-80GB)')
    expect(otherModel.decision.refused).toEqual(['contrast'])
    expect(otherModel.reports[0]?.gate?.environmentMismatch).toEqual([
      'gpu (cuda:0 (NVIDIA H200) -> cuda:0 (NVIDIA A100-SXM4-80GB))',
    ])
    // A GPU build that fell back to the CPU records 'cpu': never gated against a GPU baseline.
    expect(gate('cuda:1', 'cpu').decision.refused).toEqual(['contrast'])
    expect(gate('cpu', 'cuda:0 (NVIDIA H200)').decision.refused).toEqual(['contrast'])
  })

  test('the environment names the GPU model after the device the backend records', () => {
    const backend = { name: 'tensorflow-gpu', tfjsVersion: '4.22.0', device: 'cuda:1' }
    expect(captureEnvironment({ backend }).gpu).toBe('cuda:1')
    expect(captureEnvironment({ backend: { ...backend, gpuName: 'NVIDIA H200' } }).gpu).toBe(
      'cuda:1 (NVIDIA H200)',
    )
    expect(captureEnvironment({ backend: { ...backend, device: 'cpu' } }).gpu).toBe('cpu')
    expect(captureEnvironment().gpu).toBeNull()
  })

  test('skips, with a reason, variants missing from the baseline file', () => {
    const file = baselineFromReport(saved, createdAt)
    file.variants = file.variants.filter((v) => v.name !== 'x2')
    const { decision } = gateReports({
      reports: [reportWith()],
      baselines: new Map([['contrast', { path: 'b.json', file }]]),
      allowEnvironmentMismatch: false,
    })
    expect(decision.skipped).toEqual(['contrast > x2: not in the baseline file'])
    expect(decision.failed).toBe(false)
  })

  test('experiments without a baseline file are not gated', () => {
    const { decision, reports } = gateReports({
      reports: [reportWith()],
      baselines: new Map(),
      allowEnvironmentMismatch: false,
    })
    expect(decision.failed).toBe(false)
    expect(reports[0]?.gate).toBeUndefined()
  })
})
