import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { executeRun, type RunPlan } from '../../src/spec/execute.js'
import type { RunFn } from '../../src/spec/run.js'

let storeDir: string
beforeEach(async () => {
  storeDir = await mkdtemp(join(tmpdir(), 'ablate-execute-'))
})
afterEach(async () => {
  await rm(storeDir, { recursive: true, force: true })
})

function planWith(run: RunFn<{ lr: number }>, overrides: Partial<RunPlan<{ lr: number }>> = {}) {
  const plan: RunPlan<{ lr: number }> = {
    experiment: 'lr',
    variant: 'small',
    config: { lr: 0.001 },
    seed: 4,
    repetition: 3,
    metric: 'f1Macro',
    timeoutMs: 5_000,
    version: '1',
    run,
    runOwner: null,
    ...overrides,
  }
  return plan
}

function execute(plan: RunPlan<{ lr: number }>, fresh = false) {
  return executeRun({ plan, storeDir, fresh, signal: new AbortController().signal })
}

function countingRun(value = 0.75) {
  const calls: { seed: number; lr: number }[] = []
  const run: RunFn<{ lr: number }> = async ({ config, seed }) => {
    calls.push({ seed, lr: config.lr })
    return { metrics: { f1Macro: value + seed / 100 }, details: { note: 'kept' } }
  }
  return { run, calls }
}

async function storedFiles(): Promise<string[]> {
  const dirs = await readdir(storeDir)
  const nested = await Promise.all(dirs.map((d) => readdir(join(storeDir, d))))
  return nested.flat()
}

describe('executeRun', () => {
  test('runs once, stores the result, then answers from the store', async () => {
    const { run, calls } = countingRun()
    const first = await execute(planWith(run))
    const second = await execute(planWith(run))

    expect(first.run).toMatchObject({ state: 'passed', value: 0.79, seed: 4, repetition: 3 })
    expect(second.run).toMatchObject({ state: 'cached', value: 0.79, details: { note: 'kept' } })
    expect(second.run.key).toBe(first.run.key)
    expect(calls).toHaveLength(1)
    expect(await storedFiles()).toEqual([`${first.run.key}.json`])
  })

  test('runs again when fresh is asked for', async () => {
    const { run, calls } = countingRun()
    await execute(planWith(run))
    const again = await execute(planWith(run), true)
    expect(again.run.state).toBe('passed')
    expect(calls).toHaveLength(2)
  })

  test('a forced fresh run that fails keeps the stored result it was to redo', async () => {
    let fail = false
    const run: RunFn<{ lr: number }> = async () => {
      if (fail) throw new Error('out of memory')
      return { metrics: { f1Macro: 0.7 } }
    }
    await execute(planWith(run))
    fail = true
    expect((await execute(planWith(run), true)).run.state).toBe('failed')
    fail = false
    expect((await execute(planWith(run))).run).toMatchObject({ state: 'cached', value: 0.7 })
  })

  test('never reuses a stale key: config, seed, version, fingerprint and code all change it', async () => {
    const { run, calls } = countingRun()
    const keys = new Set<string | undefined>()
    keys.add((await execute(planWith(run))).run.key)
    keys.add((await execute(planWith(run, { config: { lr: 0.01 } }))).run.key)
    keys.add((await execute(planWith(run, { seed: 5 }))).run.key)
    keys.add((await execute(planWith(run, { version: '2' }))).run.key)
    keys.add(
      (await execute(planWith(Object.assign(run, { fingerprint: async () => 'data-v2' })))).run.key,
    )
    keys.add(
      (await execute(planWith(Object.assign(run, { codeIdentity: async () => 'code-v2' })))).run
        .key,
    )
    expect(keys.size).toBe(6)
    expect(calls).toHaveLength(6)
  })

  test('a run function whose source changed is run again, one whose source did not is not', async () => {
    const calls: string[] = []
    const before: RunFn<{ lr: number }> = async () => {
      calls.push('before')
      return { metrics: { f1Macro: 0.5 } }
    }
    const after: RunFn<{ lr: number }> = async () => {
      calls.push('after, fixed')
      return { metrics: { f1Macro: 0.6 } }
    }
    await execute(planWith(before))
    expect((await execute(planWith(after))).run.state).toBe('passed')
    expect((await execute(planWith(before))).run.state).toBe('cached')
    expect(calls).toEqual(['before', 'after, fixed'])
  })

  test('the variant name is not part of the key: an identical config is reused', async () => {
    const { run, calls } = countingRun()
    await execute(planWith(run, { variant: 'a' }))
    const other = await execute(planWith(run, { variant: 'b' }))
    expect(other.run.state).toBe('cached')
    expect(calls).toHaveLength(1)
  })

  test("a variant's own run function never reads another row's result for the same config", async () => {
    const shared = countingRun(0.5)
    const own = countingRun(0.9)
    const base = await execute(planWith(shared.run, { variant: 'old' }))
    const mine = await execute(planWith(own.run, { variant: 'new', runOwner: 'new' }))
    expect(mine.run.state).toBe('passed')
    expect(mine.run.key).not.toBe(base.run.key)
    expect(mine.run.value).toBeCloseTo(0.94)
    const again = await execute(planWith(own.run, { variant: 'new', runOwner: 'new' }))
    expect(again.run.state).toBe('cached')
    expect(own.calls).toHaveLength(1)
  })

  test('records a throwing run as failed, stores it, and tries it again next time', async () => {
    let attempts = 0
    const flaky: RunFn<{ lr: number }> = async () => {
      attempts += 1
      if (attempts === 1) throw new Error('out of memory at step 12')
      return { metrics: { f1Macro: 0.7 } }
    }
    const failed = await execute(planWith(flaky))
    expect(failed.run).toMatchObject({ state: 'failed', value: null })
    expect(failed.run.state === 'failed' && failed.run.error.message).toBe(
      'out of memory at step 12',
    )
    expect(await storedFiles()).toHaveLength(1)

    const retried = await execute(planWith(flaky))
    expect(retried.run).toMatchObject({ state: 'passed', value: 0.7 })
  })

  test('fails a run that returns no value for the metric, listing what it returned', async () => {
    const run: RunFn<{ lr: number }> = async () => ({ metrics: { accuracy: 0.9, loss: 0.3 } })
    const { run: result } = await execute(planWith(run, { metric: 'f1Macro' }))
    expect(result.state).toBe('failed')
    const message = result.state === 'failed' ? result.error.message : ''
    expect(message).toContain("option 'metric' is 'f1Macro'")
    expect(message).toContain('[accuracy, loss]')
  })

  test('aborts a run past timeoutMs even when it ignores its signal', async () => {
    const seen: AbortSignal[] = []
    const slow: RunFn<{ lr: number }> = ({ signal }) => {
      seen.push(signal)
      return new Promise(() => {})
    }
    const { run } = await execute(planWith(slow, { timeoutMs: 50 }))
    expect(run.state).toBe('failed')
    expect(run.state === 'failed' && run.error.code).toBe('ABLATE_ABORTED')
    expect(run.state === 'failed' && run.error.message).toContain('timeoutMs 50')
    expect(seen[0]?.aborted).toBe(true)
  })
})
