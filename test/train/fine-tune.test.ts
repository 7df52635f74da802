import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { AblateError } from '../../src/errors.js'
import type { ProgressEvent } from '../../src/spec/run.js'
import {
  clearFeatureMemory,
  createFeatureSource,
  evaluate,
  type FineTuneResult,
  fineTune,
  type PreparedData,
  releaseClassifier,
  resolveTrainConfig,
  type TrainConfig,
} from '../../src/train/index.js'
import { buildTinyClassifier, loadFashion3 } from './fixtures.js'

const SIZE = 16
let data: PreparedData
let cacheDir: string

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
  data = await loadFashion3(SIZE)
  cacheDir = await mkdtemp(join(tmpdir(), 'ablate-train-'))
})

afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true })
})

async function train(args: {
  config?: TrainConfig
  seed?: number
  dropout?: number
  trainable?: 'frozen' | 'all'
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
}): Promise<FineTuneResult & { reevaluated: number }> {
  const seed = args.seed ?? 1
  const classifier = buildTinyClassifier({
    size: SIZE,
    seed,
    dropout: args.dropout ?? 0,
    trainable: args.trainable ?? 'frozen',
  })
  const config = resolveTrainConfig({
    epochs: 3,
    batchSize: 32,
    learningRate: 0.05,
    featureCache: 'off',
    cacheDir,
    ...args.config,
  })
  try {
    const result = await fineTune({
      classifier,
      data,
      config,
      seed,
      ...(args.signal ? { signal: args.signal } : {}),
      ...(args.onProgress ? { onProgress: args.onProgress } : {}),
    })
    // Score the weights the classifier holds now, through the live backbone path.
    const source = await createFeatureSource({
      classifier,
      data,
      recipe: { contrast: config.contrast, augment: null, preprocessing: 'tf' },
      cache: 'off',
      cacheDir,
      batchSize: 64,
    })
    const check = await evaluate({
      trainable: classifier.trainable,
      source,
      data,
      indices: data.split.validation,
      batchSize: 64,
    })
    return { ...result, reevaluated: check.metrics.f1Macro }
  } finally {
    releaseClassifier(classifier)
  }
}

describe('fineTune', () => {
  test('the same seed gives identical metrics and history; another seed differs', async () => {
    const config: TrainConfig = { dropout: 0.3, augment: { flip: 'horizontal', rotationDeg: 10 } }
    const first = await train({ config, seed: 3, dropout: 0.3 })
    const again = await train({ config, seed: 3, dropout: 0.3 })
    const other = await train({ config, seed: 4, dropout: 0.3 })

    expect(again.metrics).toEqual(first.metrics)
    expect(again.history.map((e) => [e.loss, e.f1Macro])).toEqual(
      first.history.map((e) => [e.loss, e.f1Macro]),
    )
    expect(other.history.map((e) => e.loss)).not.toEqual(first.history.map((e) => e.loss))
  })

  test('learns: validation macro F1 beats always predicting the majority class', async () => {
    const result = await train({ config: { epochs: 6, learningRate: 0.1 } })

    // Majority-class macro F1 with 48/24/12 validation images: F1 (2 * 48 / (48 + 84)) / 3 = 0.2424.
    expect(result.validationClassCounts).toEqual([24, 12, 48])
    expect(result.metrics.f1Macro).toBeGreaterThan(0.35)
    expect(result.history[5]!.loss).toBeLessThan(result.history[0]!.loss)
  })

  test('frees every tensor it creates, on success and on failure', async () => {
    const before = tf.memory().numTensors
    await train({
      config: { balance: 'class-weights', earlyStopping: { patience: 2 }, augment: { zoom: 0.1 } },
      dropout: 0.2,
    })
    await train({
      config: { featureCache: 'memory', optimizer: 'rmsprop', lrSchedule: { kind: 'cosine' } },
    })
    await train({
      config: { optimizer: 'sgd', lrSchedule: { kind: 'step', everyEpochs: 1, factor: 0.5 } },
      trainable: 'all',
    })
    const diverging = train({ config: { learningRate: 1e30, optimizer: 'sgd' }, trainable: 'all' })
    await expect(diverging).rejects.toThrow(AblateError)

    expect(tf.memory().numTensors).toBe(before)
  })

  test('a diverging loss stops the run naming epoch and batch', async () => {
    const attempt = train({ config: { learningRate: 1e30, optimizer: 'sgd' }, trainable: 'all' })

    await expect(attempt).rejects.toMatchObject({ code: 'ABLATE_TRAIN_NAN' })
    await expect(attempt).rejects.toThrow(/at epoch 1, batch \d+ of 11 .*learningRate 1e\+30/)
  })

  test('aborts between batches with ABLATE_ABORTED, also before the first one', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new Error('user pressed ctrl-c')), 0)
    const midway = train({ config: { epochs: 1000 }, signal: controller.signal })

    await expect(midway).rejects.toMatchObject({ code: 'ABLATE_ABORTED' })
    await expect(midway).rejects.toThrow(/at epoch 1, batch \d+ of 11: user pressed ctrl-c/)
    await expect(train({ signal: AbortSignal.abort() })).rejects.toThrow('before training')
  })

  test('refuses a classifier whose output does not match the number of classes', async () => {
    const classifier = buildTinyClassifier({ size: SIZE, seed: 1 })
    const wider = { ...data, classNames: ['a', 'b', 'c', 'd'] }
    const attempt = fineTune({ classifier, data: wider, config: resolveTrainConfig({}), seed: 1 })

    await expect(attempt).rejects.toThrow('outputs 3 classes but the data has 4 (a, b, c, d)')
    releaseClassifier(classifier)
  })

  test('aborts while computing backbone features', async () => {
    clearFeatureMemory()
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 0)
    const config: TrainConfig = { featureCache: 'memory', contrast: 1.5, batchSize: 8 }
    const attempt = train({ config, signal: controller.signal })

    await expect(attempt).rejects.toThrow(/while computing backbone features \(image \d+ of 420\)/)
  })

  test('progress: one event per epoch with validation scores and a shrinking ETA', async () => {
    const events: ProgressEvent[] = []
    const result = await train({
      config: { epochs: 3, lrSchedule: { kind: 'cosine' } },
      onProgress: (e) => events.push(e),
    })

    expect(events.map((e) => [e.epoch, e.epochs])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ])
    expect(events[2]!.etaMs).toBe(0)
    expect(events[0]!.etaMs).toBeGreaterThan(0)
    expect(events.map((e) => e.metrics.f1Macro)).toEqual(result.history.map((e) => e.f1Macro))
    expect(events.map((e) => e.metrics.learningRate)).toEqual(
      [0.05, 0.05 * 0.75, 0.05 * 0.25].map((r) => expect.closeTo(r, 12)),
    )
  })

  test('early stopping stops after `patience` epochs without progress and restores the best weights', async () => {
    const result = await train({
      config: {
        epochs: 30,
        learningRate: 0.5,
        optimizer: 'sgd',
        earlyStopping: { patience: 2, metric: 'loss' },
      },
    })
    const losses = result.history.map((e) => e.validationLoss)
    const best = Math.min(...losses)

    expect(result.stoppedEarly).toBe(true)
    expect(result.epochsRun).toBe(result.bestEpoch + 2)
    expect(result.validationLoss).toBe(best)
    expect(losses[result.epochsRun - 1]).toBeGreaterThan(best)
    expect(result.reevaluated).toBe(result.metrics.f1Macro)
    expect(result.metrics.f1Macro).toBe(result.history[result.bestEpoch - 1]!.f1Macro)
  })

  test('the balanced sampler evens out the classes seen; class weights change the loss', async () => {
    const plain = await train({})
    const sampled = await train({ config: { balance: 'sampler' } })
    const weighted = await train({ config: { balance: 'class-weights' } })

    // 336 training images (192/96/48 by class order pullover, shirt, tshirt-top: 96/48/192) per epoch.
    expect(plain.trainClassCounts).toEqual([96 * 3, 48 * 3, 192 * 3])
    expect(sampled.trainClassCounts).toEqual([112 * 3, 112 * 3, 112 * 3])
    expect(weighted.history[0]!.loss).not.toBe(plain.history[0]!.loss)
  })
})

describe('frozen-backbone feature cache', () => {
  test('gives the same metrics as running the backbone every batch, from memory and from disk', async () => {
    clearFeatureMemory()
    const config: TrainConfig = { dropout: 0.4, contrast: 2, epochs: 3 }
    const live = await train({ config: { ...config, featureCache: 'off' }, dropout: 0.4 })
    const computed = await train({ config: { ...config, featureCache: 'disk' }, dropout: 0.4 })
    const fromMemory = await train({ config: { ...config, featureCache: 'disk' }, dropout: 0.4 })
    clearFeatureMemory()
    const fromDisk = await train({ config: { ...config, featureCache: 'disk' }, dropout: 0.4 })

    expect([live.features, computed.features, fromMemory.features, fromDisk.features]).toEqual([
      'live',
      'computed',
      'memory',
      'disk',
    ])
    for (const cached of [computed, fromMemory, fromDisk]) {
      expect(cached.metrics).toEqual(live.metrics)
      expect(cached.history.map((e) => e.loss)).toEqual(live.history.map((e) => e.loss))
    }
  })

  test('is keyed by contrast and backbone weights, and unused with random augmentation', async () => {
    clearFeatureMemory()
    const base = await train({ config: { featureCache: 'memory' } })
    const contrast = await train({ config: { featureCache: 'memory', contrast: 2 } })
    const otherBackbone = await train({ config: { featureCache: 'memory' }, seed: 9 })
    const augmented = await train({
      config: { featureCache: 'memory', augment: { flip: 'horizontal' } },
    })

    expect([base.features, contrast.features, otherBackbone.features]).toEqual([
      'computed',
      'computed',
      'computed',
    ])
    expect(augmented.features).toBe('live')
  })
})
