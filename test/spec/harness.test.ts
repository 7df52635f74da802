/**
 * End to end: real vitest processes run the synthetic fixture studies under test/spec/fixtures with
 * ablate's reporter, a temporary store, reports and baselines folders. Few spawns, each a few seconds.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import type { RunSummary } from '../../src/report/files.js'
import type { ExperimentReport } from '../../src/report/types.js'
import { saveBaselines } from '../../src/store/save-baselines.js'

const root = resolve(import.meta.dirname, '../..')
const config = 'test/spec/fixtures/vitest.fixture.config.ts'
// Made at collection: the describe blocks below name folders inside it.
const work = mkdtempSync(join(tmpdir(), 'ablate-harness-'))

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

interface Spawned {
  code: number
  out: string
}

/** Runs a node script from the project root with a clean env plus ablate's folders. */
function spawnNode(args: string[], env: Record<string, string>): Promise<Spawned> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_ENV'),
  )
  return new Promise((done) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...clean, NO_COLOR: '1', ...env }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
        done({ code, out: `${stdout}${stderr}` })
      },
    )
  })
}

function vitest(args: string[], env: Record<string, string>): Promise<Spawned> {
  return spawnNode(['node_modules/vitest/vitest.mjs', 'run', '--config', config, ...args], env)
}

function folders(name: string): Record<string, string> {
  return {
    ABLATE_STORE_DIR: join(work, name, 'store'),
    ABLATE_REPORTS_DIR: join(work, name, 'reports'),
    ABLATE_BASELINES_DIR: join(work, 'baselines'),
  }
}

async function readReport(name: string, experiment: string): Promise<ExperimentReport> {
  return JSON.parse(await readFile(join(work, name, 'reports', `${experiment}.json`), 'utf8'))
}

async function readSummary(name: string): Promise<RunSummary> {
  return JSON.parse(await readFile(join(work, name, 'reports', 'summary.json'), 'utf8'))
}

/** The ablate tables of a run's output, timings masked, without vitest's own lines. */
function tables(out: string): string {
  const start = out.search(/\n\S+ {2}test\/spec\/fixtures\//)
  const end = out.indexOf('\nreports: ')
  return out.slice(start, end).replace(/wall [\d.]+ (ms|s)/g, 'wall <time>')
}

/** A report without what legitimately differs between two runs of the same study. */
function comparable(report: ExperimentReport): unknown {
  return JSON.parse(
    JSON.stringify({ ...report, createdAt: null, wallTimeMs: null }, (key, value) =>
      key === 'durationMs' ? null : value,
    ),
  )
}

async function storedRunCount(name: string): Promise<number> {
  const dir = join(work, name, 'store')
  const subdirs = await readdir(dir)
  const files = await Promise.all(subdirs.map((d) => readdir(join(dir, d))))
  return files.flat().length
}

describe('a bench run through vitest', { timeout: 120_000 }, () => {
  const main = folders('main')
  let first: Spawned

  test('runs every variant x seed, stores each run and reports a failed one without using it', async () => {
    first = await vitest([], {
      ...main,
      ABLATE_FIXTURE_FAIL: '1',
      ABLATE_FIXTURE_INCLUDE: '{*,bad/*}.exp.ts',
    })
    expect(first.code).toBe(1)
    expect(first.out).toContain('✗ contrast > x1.5 > seed 3 · failed: synthetic failure at seed 3')
    // The failing test names its spec line and the command that reruns exactly that seed.
    expect(first.out).toContain('spec: test/spec/fixtures/contrast.exp.ts:4')
    expect(first.out).toContain('rerun: npm run bench -- -t "^contrast x1\\.5 seed 3$"')
    expect(first.out).toMatch(/x2 +6 .* significantly better/)
    // Live progress travels from the forked worker to the reporter as test artifacts.
    expect(first.out).toMatch(
      /… contrast > x2 > seed 1 · epoch 1\/1 · loss 0\.5000 · f1Macro 0\.8\d+ · eta 0 ms/,
    )
    expect(first.out).toContain('runs: 18 (17 run now, 0 cached, 1 failed)')
    expect(first.out).toContain(
      'x2 (significantly better): npm run bench -- -t "^contrast (x1|x2) seed"',
    )
    expect(await storedRunCount('main')).toBe(26)

    const contrast = await readReport('main', 'contrast')
    expect(contrast.file).toBe('test/spec/fixtures/contrast.exp.ts')
    expect(contrast.line).toBe(4)
    expect(contrast.variants.map((v) => v.verdict?.kind ?? null)).toEqual([
      null,
      'better',
      'inconclusive',
    ])
    expect(contrast.variants[2]?.runs[2]).toMatchObject({ state: 'failed', seed: 3, value: null })
  })

  test('a bad spec fails at collection naming the experiment, the option and the spec line', () => {
    expect(first.out).toContain("experiment 'broken': option 'baseline' must be given exactly once")
    expect(first.out).toContain('spec: test/spec/fixtures/bad/no-baseline.exp.ts:4')
    expect(first.out).toContain("experiment 'twice': option 'name' is declared twice in this file")
    expect(first.out).toContain('spec: test/spec/fixtures/bad/duplicate-name.exp.ts:9')
  })

  test('a rerun with the printed -t command reuses finished runs and retries the failed one', async () => {
    const saved = await saveBaselines({
      reportsDir: main.ABLATE_REPORTS_DIR!,
      baselinesDir: main.ABLATE_BASELINES_DIR!,
    })
    expect(saved.map((s) => [s.experiment, s.runs, s.incomplete])).toEqual([
      ['contrast', 17, ['x1.5']],
      ['dropout', 8, []],
    ])

    const rerun = await vitest(['-t', '^contrast (x1|x1\\.5) seed'], main)
    expect(rerun.code).toBe(0)
    const contrast = await readReport('main', 'contrast')
    expect(contrast.variants.map((v) => v.runs.length)).toEqual([6, 0, 6])
    expect(contrast.counts).toEqual({ passed: 1, cached: 11, failed: 0 })
    const before = first.out.match(/contrast > x1 > seed \d · f1Macro ([\d.]+)/g) ?? []
    expect(contrast.variants[0]?.runs.map((r) => r.value?.toFixed(4))).toEqual(
      before.map((line) => line.split('f1Macro ')[1]),
    )
    expect(rerun.out).toContain('regression gate: passed')
  })
})

describe('the regression gate, unsharded and sharded', { timeout: 180_000 }, () => {
  const shift = {
    ABLATE_FIXTURE_SHIFT: '-0.05',
    ABLATE_FIXTURE_INCLUDE: '{*,concurrency/*}.exp.ts',
  }
  let unsharded: Spawned

  test('fails the run and names each variant that got worse than its saved baseline', async () => {
    unsharded = await vitest([], { ...folders('unsharded'), ...shift })
    expect(unsharded.code).toBe(1)
    expect(unsharded.out).toMatch(/REGRESSED contrast > x2: diff -0\.05/)
    expect(unsharded.out).toContain('regression gate: FAILED (regressed contrast > x2')
    const summary = await readSummary('unsharded')
    expect(summary.gate?.regressed).toContain('contrast > x2')
    expect(summary.gate?.regressed).not.toContain('contrast > x1')
  })

  test('concurrency runs up to that many runs at once, across variants', async () => {
    // 2 variants x 3 seeds of 300 ms each with concurrency 3: two rounds, not six (1800 ms).
    const report = await readReport('unsharded', 'concurrency')
    expect(report.counts.passed).toBe(6)
    expect(report.wallTimeMs).toBeGreaterThanOrEqual(590)
    expect(report.wallTimeMs).toBeLessThan(1500)
  })

  test('two shards merged give the same tables, reports and gate decision as one run', async () => {
    const blobs = join(work, 'blobs')
    const env = { ...folders('sharded'), ...shift }
    for (const shard of ['1/2', '2/2']) {
      const part = await vitest(
        [
          `--shard=${shard}`,
          '--reporter=blob',
          `--outputFile=${join(blobs, `blob-${shard[0]}.json`)}`,
        ],
        env,
      )
      expect(part.code).toBe(0)
    }
    const merged = await vitest([`--merge-reports=${blobs}`], env)

    expect(merged.code).toBe(unsharded.code)
    expect(tables(unsharded.out)).toContain('contrast  test/spec/fixtures/contrast.exp.ts')
    expect(tables(merged.out)).toBe(tables(unsharded.out))
    for (const experiment of ['contrast', 'dropout', 'concurrency']) {
      expect(comparable(await readReport('sharded', experiment))).toEqual(
        comparable(await readReport('unsharded', experiment)),
      )
    }
    expect((await readSummary('sharded')).gate).toEqual((await readSummary('unsharded')).gate)
  })
})

describe('the README', () => {
  test("shows the label-smoothing spec's terminal output as it really is", async () => {
    const run = await vitest([], {
      ...folders('readme'),
      ABLATE_FIXTURE_INCLUDE: 'readme/*.exp.ts',
    })
    const readme = await readFile(join(root, 'README.md'), 'utf8')
    const shown = readme.split('The terminal output of that spec, unedited:\n\n```\n')[1]
    const block = shown?.slice(0, shown.indexOf('\n```')) ?? ''

    expect(run.code, run.out).toBe(0)
    expect(block).toContain('label-smoothing  test/spec/fixtures/readme/label-smoothing.exp.ts')
    expect(tables(run.out).trim()).toBe(block.replace(/wall [\d.]+ (ms|s)/g, 'wall <time>'))
  })
})
