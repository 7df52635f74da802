import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { stratifiedSplit } from '../../src/data/index.js'
import type { RunContext } from '../../src/spec/run.js'
import { fineTune } from '../../src/train/fine-tune.js'
import { type TrainConfig, trainRun } from '../../src/train/index.js'
import { makeTempDir, writeClassFolders } from '../data/fashion-mnist.js'

// A pass-through spy: the real fineTune trains; the test reads the split trainRun handed it.
vi.mock('../../src/train/fine-tune.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/train/fine-tune.js')>()
  return { ...actual, fineTune: vi.fn(actual.fineTune) }
})

let root: string
let dataDir: string

beforeAll(async () => {
  root = await makeTempDir('ablate-split-seed-')
  dataDir = await writeClassFolders({
    dir: join(root, 'data'),
    perClass: { tshirt: 20, pullover: 20, shirt: 20 },
  })
})

afterAll(() => rm(root, { recursive: true, force: true }))

function context(data: TrainConfig['data'], seed: number): RunContext<TrainConfig> {
  const config: TrainConfig = {
    data: { dir: dataDir, ...data },
    architecture: 'compact-resnet',
    weights: null,
    backend: 'wasm',
    epochs: 1,
    batchSize: 16,
    cacheDir: join(root, 'cache'),
  }
  const signal = new AbortController().signal
  return { config, seed, signal, experiment: 'split-seed', variant: 'test', repetition: 0 }
}

/** Runs one training and returns its result with the data fineTune was given. */
async function runAndCapture(data: TrainConfig['data'], seed: number) {
  const result = await trainRun(context(data, seed))
  const call = vi.mocked(fineTune).mock.lastCall
  if (call === undefined) throw new Error('trainRun did not call fineTune')
  return { result, data: call[0].data }
}

/** The split stratifiedSplit draws for these labels with `seed` (the default fraction, 0.2). */
function expectedValidation(data: { labels: Int32Array; classNames: string[] }, seed: number) {
  return [...stratifiedSplit({ labels: data.labels, classNames: data.classNames, seed }).validation]
}

describe('data.splitVariesWithSeed', () => {
  // details only carry per-class counts, equal under any stratified split, and the run seed also
  // moves init and data order; so the split is read from the data trainRun passed to fineTune.
  test('default false: every run seed scores the same split (splitSeed 42)', async () => {
    const one = await runAndCapture({}, 1)
    const two = await runAndCapture({}, 2)

    expect([...two.data.split.validation]).toEqual([...one.data.split.validation])
    expect([...one.data.split.validation]).toEqual(expectedValidation(one.data, 42))
    expect(one.result.details?.validationClassCounts).toEqual([4, 4, 4])
  })

  test('true: the split seed is the run seed, so two run seeds score different splits', async () => {
    const one = await runAndCapture({ splitVariesWithSeed: true }, 1)
    const two = await runAndCapture({ splitVariesWithSeed: true }, 2)
    const fixed = await runAndCapture({}, 1)

    expect([...two.data.split.validation]).not.toEqual([...one.data.split.validation])
    expect([...one.data.split.validation]).toEqual(expectedValidation(one.data, 1))
    expect([...two.data.split.validation]).toEqual(expectedValidation(two.data, 2))
    // Stratified: the counts cannot tell the splits apart ...
    expect(two.result.details?.validationClassCounts).toEqual(
      one.result.details?.validationClassCounts,
    )
    // ... but the split reaches the results: same run seed, other split, other history.
    expect(one.result.details?.history).not.toEqual(fixed.result.details?.history)
  })
})
