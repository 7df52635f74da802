import type * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { buildClassifier, HEAD_LAYERS, SeededDropout } from '../../src/models/index.js'
import {
  type FineTuneResult,
  fineTune,
  type PreparedData,
  releaseClassifier,
  resolveTrainConfig,
} from '../../src/train/index.js'
import { loadFashion3 } from './fixtures.js'

// Dropout in a real classifier of src/models, trained by fineTune on wasm. The tiny classifier of the
// other fineTune tests uses tfjs' own Dropout; this file checks ablate's SeededDropout end to end.

/** Pretrained, so the frozen features are the same for every seed and computed once. */
const BACKBONE = 'fixtures/backbone/compact-resnet-fmnist7.h5'
const EPOCHS = 2
const BATCH_SIZE = 32

let data: PreparedData

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
  data = await loadFashion3(32)
})

/** A training run, with the dropout mask of every training step (one '0'/'1' per unit). */
interface DropoutRun extends FineTuneResult {
  masks: string[]
  layer: tf.layers.Layer
}

/** Fine-tunes the head with dropout 0.5; `dropoutSeed` restarts only the dropout masks' stream. */
async function train(args: { seed: number; dropoutSeed?: number }): Promise<DropoutRun> {
  const classifier = await buildClassifier({
    architecture: 'compact-resnet',
    numClasses: 3,
    dropout: 0.5,
    weights: BACKBONE,
    seed: args.seed,
  })
  const config = resolveTrainConfig({
    epochs: EPOCHS,
    batchSize: BATCH_SIZE,
    learningRate: 0.01,
    featureCache: 'memory',
  })
  const layer = classifier.trainable.getLayer(HEAD_LAYERS.dropout)
  if (args.dropoutSeed !== undefined) (layer as SeededDropout).reseed(args.dropoutSeed)
  const masks = recordMasks(layer)
  try {
    const result = await fineTune({ classifier, data, config, seed: args.seed })
    return { ...result, masks, layer }
  } finally {
    releaseClassifier(classifier)
  }
}

/** Wraps the layer's `call` to note which units each training call zeroed. */
function recordMasks(layer: tf.layers.Layer): string[] {
  const masks: string[] = []
  const call = layer.call.bind(layer)
  layer.call = (inputs, kwargs) => {
    const output = call(inputs, kwargs)
    if (kwargs.training === true) masks.push(maskOf(inputs, output as tf.Tensor))
    return output
  }
  return masks
}

/** '0' where a nonzero input came out zero (dropped), else '1'. */
function maskOf(inputs: tf.Tensor | tf.Tensor[], output: tf.Tensor): string {
  const x = (Array.isArray(inputs) ? inputs[0]! : inputs).dataSync()
  const y = output.dataSync()
  return Array.from(y, (v, i) => (v === 0 && x[i] !== 0 ? '0' : '1')).join('')
}

function scores(run: FineTuneResult): number[][] {
  return run.history.map((e) => [e.loss, e.validationLoss, e.f1Macro])
}

describe('seeded dropout through fineTune (wasm)', () => {
  test("the head's dropout is ablate's SeededDropout, with a new mask at every step", async () => {
    const run = await train({ seed: 5 })
    const steps = EPOCHS * Math.ceil(data.split.train.length / BATCH_SIZE)

    expect(run.layer).toBeInstanceOf(SeededDropout)
    expect(run.masks).toHaveLength(steps)
    // A tfjs Dropout with a fixed seed would repeat one mask: every step's differs here.
    expect(new Set(run.masks).size).toBe(steps)
    // About half the units dropped (rate 0.5) in the first step, 32 images x 64 features.
    const dropped = [...run.masks[0]!].filter((bit) => bit === '0').length / run.masks[0]!.length
    expect(dropped).toBeGreaterThan(0.4)
    expect(dropped).toBeLessThan(0.6)
  })

  test('the same seed repeats the masks and the metrics; another seed changes both', async () => {
    const first = await train({ seed: 5 })
    const again = await train({ seed: 5 })
    const other = await train({ seed: 6 })
    // Same initial weights and data order, only the masks' stream restarted from another seed.
    const otherMasks = await train({ seed: 5, dropoutSeed: 99 })

    expect(again.masks).toEqual(first.masks)
    expect(again.metrics).toEqual(first.metrics)
    expect(scores(again)).toEqual(scores(first))
    expect(other.masks).not.toEqual(first.masks)
    expect(scores(other)).not.toEqual(scores(first))
    expect(otherMasks.masks[0]).not.toEqual(first.masks[0])
    expect(scores(otherMasks)).not.toEqual(scores(first))
  })
})
