import type { TestCase, TestModule } from 'vitest/node'
import type { AblateTestMeta, ExperimentMeta } from '../spec/meta.js'

/** One generated test as the reporter sees it, independent of vitest's classes. */
export interface CollectedTest {
  meta: AblateTestMeta
  /** vitest's state of the test: a `-t` filter leaves the others `skipped`. */
  state: 'passed' | 'failed' | 'skipped' | 'pending'
  /** First error vitest recorded, for tests that failed before the harness stored an outcome. */
  errorMessage: string | null
  /** Start time (ms since epoch) and duration (ms), when the test ran. */
  startTime: number | null
  durationMs: number | null
  /** Module the test lives in (relative or absolute path as vitest gives it). */
  moduleId: string
}

/** The tests of one experiment, across every file and shard they came from. */
export interface CollectedExperiment {
  meta: ExperimentMeta
  tests: CollectedTest[]
  /** Modules that declared an experiment of this name; more than one is a spec error. */
  moduleIds: string[]
}

/** Every test of every module that carries ablate's meta. */
export function collectTests(modules: ReadonlyArray<TestModule>): CollectedTest[] {
  const out: CollectedTest[] = []
  for (const module of modules) {
    for (const testCase of module.children.allTests()) {
      const collected = toCollectedTest(testCase, module.moduleId)
      if (collected) out.push(collected)
    }
  }
  return out
}

function toCollectedTest(testCase: TestCase, moduleId: string): CollectedTest | null {
  const meta = testCase.meta().ablate
  if (!meta) return null
  const result = testCase.result()
  const diagnostic = testCase.diagnostic()
  return {
    meta,
    state: result.state,
    errorMessage: result.errors?.[0]?.message ?? null,
    startTime: diagnostic?.startTime ?? null,
    durationMs: diagnostic?.duration ?? null,
    moduleId,
  }
}

/** Groups tests by experiment name, in order of first appearance. */
export function groupByExperiment(tests: readonly CollectedTest[]): CollectedExperiment[] {
  const groups = new Map<string, CollectedExperiment>()
  for (const test of tests) {
    const name = test.meta.experiment.name
    let group = groups.get(name)
    if (!group) {
      group = { meta: test.meta.experiment, tests: [], moduleIds: [] }
      groups.set(name, group)
    }
    group.tests.push(test)
    if (!group.moduleIds.includes(test.moduleId)) group.moduleIds.push(test.moduleId)
  }
  return [...groups.values()]
}
