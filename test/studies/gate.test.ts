import { spawnSync } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

/**
 * The regression gate end to end, on real training: a small copy of the shipped studies
 * (test/studies/gate/gate-check.exp.ts: the committed fixture and backbone, 3 seeds) runs through
 * vitest with ablate's reporter; its results are saved as the baseline with `npm run
 * baseline:save`'s script; a rerun against it exits 0, and a rerun with a deliberately degraded
 * variant exits non-zero naming it. Each step is a real spawned process, as in CI.
 */

const CONFIG = 'test/studies/gate/vitest.config.ts'
let dir = ''

function spawnStep(args: { command: string[]; env?: Record<string, string> }) {
  const [cmd, ...rest] = args.command
  const result = spawnSync(cmd ?? 'npx', rest, {
    encoding: 'utf8',
    env: {
      ...process.env,
      ABLATE_STORE_DIR: join(dir, 'store'),
      ABLATE_REPORTS_DIR: join(dir, 'reports'),
      ABLATE_BASELINES_DIR: join(dir, 'baselines'),
      ABLATE_FRESH: '',
      FORCE_COLOR: '0',
      ...args.env,
    },
  })
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` }
}

function runStudy(env: Record<string, string> = {}) {
  return spawnStep({ command: ['npx', 'vitest', 'run', '--config', CONFIG], env })
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-gate-check-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('regression gate on a small real study', { timeout: 300_000 }, () => {
  test('a first run without a baseline passes and writes its report', async () => {
    const first = runStudy()
    const markdown = await readFile(join(dir, 'reports', 'gate-check.md'), 'utf8')

    expect(first.output).toContain('gate check')
    expect(first.status, first.output).toBe(0)
    // The fixture is 240/120/60 images (T-shirt/top, pullover, shirt); the fixed 20% split leaves 192/96/48 to train on, and
    // 5 epochs without balancing draw each of them 5 times.
    expect(first.output).toContain(
      'class mix seen in training (every variant): pullover 29% · shirt 14% · tshirt-top 57%',
    )
    expect(markdown).toContain('| reference | 29% | 14% | 57% | 1,680 |')
    expect(markdown).toContain('| validation split | 24 | 12 | 48 | 84 |')
  })

  test('its results save as the baseline', async () => {
    const saved = spawnStep({ command: ['npx', 'tsx', 'scripts/save-baseline.ts'] })
    const file = JSON.parse(await readFile(join(dir, 'baselines', 'gate-check.json'), 'utf8'))

    expect(saved.status, saved.output).toBe(0)
    expect(file.variants.map((v: { runs: unknown[] }) => v.runs.length)).toEqual([3, 3])
  })

  test('a rerun against the baseline exits 0', () => {
    const rerun = runStudy()

    expect(rerun.output).toContain('regression gate: passed')
    expect(rerun.status, rerun.output).toBe(0)
  })

  test('a deliberately degraded variant makes the run exit non-zero, naming it', () => {
    const degraded = runStudy({ ABLATE_GATE_DEGRADE: '1' })

    expect(degraded.output).toMatch(/regression gate: FAILED \(regressed gate check > candidate/)
    expect(degraded.status).not.toBe(0)
  })
})
