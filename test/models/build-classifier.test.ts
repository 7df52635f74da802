import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { initBackend } from '../../src/backend/index.js'
import { AblateError } from '../../src/errors.js'
import {
  buildClassifier,
  getArchitectureSpec,
  summarizeClassifier,
  writeKerasWeights,
} from '../../src/models/index.js'
import type { Architecture } from '../../src/train/config.js'
import { kernelOf } from './weights.js'

beforeAll(async () => {
  await initBackend({ backend: 'wasm' })
})

/** A deterministic batch of images in model-input range. */
function images(n: number, size: number): tf.Tensor4D {
  return tf.tidy(() => tf.randomUniform([n, size, size, 3], -1, 1, 'float32', 7) as tf.Tensor4D)
}

function predictAll(model: tf.LayersModel, x: tf.Tensor): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array)
}

describe('compact-resnet classifier', () => {
  test('has 176,288 backbone parameters and Keras layer names', async () => {
    const c = await buildClassifier({ architecture: 'compact-resnet', numClasses: 3, seed: 1 })
    // Head: dense 64 x 3 + 3 biases.
    expect(c.model.countParams()).toBe(176_288 + 64 * 3 + 3)
    const names = c.model.layers.map((l) => l.name)
    for (const name of [
      'conv1_conv',
      'conv2_block1_1_conv',
      'conv3_block1_0_conv',
      'conv4_block2_out',
    ]) {
      expect(names).toContain(name)
    }
    expect(c.model.outputs[0]?.shape).toEqual([null, 3])
    expect(c.preprocessing).toBe('tf')
    expect(c.featureShape).toEqual([64])
  })

  test('the same seed gives the same weights, another seed other weights', async () => {
    const options = { architecture: 'compact-resnet' as const, numClasses: 3 }
    const [a, b, c] = await Promise.all([
      buildClassifier({ ...options, seed: 5 }),
      buildClassifier({ ...options, seed: 5 }),
      buildClassifier({ ...options, seed: 6 }),
    ])
    for (const name of ['conv1_conv', 'conv4_block2_2_conv', 'predictions']) {
      expect(kernelOf(a.model, name)).toEqual(kernelOf(b.model, name))
      expect(kernelOf(a.model, name)).not.toEqual(kernelOf(c.model, name))
    }
  })

  test.each([
    ['frozen', [64]],
    [{ lastStages: 1 }, [16, 16, 32]],
    [{ lastStages: 3 }, [32, 32, 16]],
  ] as const)('split %o: frozen then trainable equals the full model', async (mode, shape) => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 3,
      trainable: mode,
      dropout: 0.5,
    })
    expect(c.featureShape).toEqual(shape)
    const x = images(4, 32)
    const features = c.frozen!.predict(x) as tf.Tensor
    const viaSplit = predictAll(c.trainable, features)
    const full = predictAll(c.model, x)
    tf.dispose([x, features])
    expect(Array.from(viaSplit)).toEqual(Array.from(full).map((v) => expect.closeTo(v, 6)))
    expect(c.frozen!.trainableWeights).toHaveLength(0)
  })

  test("'all' trains the whole model and has no frozen part", async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 4,
      seed: 2,
      trainable: 'all',
    })
    expect(c.frozen).toBeNull()
    expect(c.trainable).toBe(c.model)
    expect(c.featureShape).toEqual([32, 32, 3])
  })

  test('accepts larger inputs and rejects bad options naming the value', async () => {
    const big = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 1,
      inputSize: 48,
    })
    expect(big.model.inputs[0]?.shape).toEqual([null, 48, 48, 3])
    const bad = [
      { inputSize: 20, text: '20' },
      { numClasses: 1, text: '1' },
      { dropout: 1.5, text: '1.5' },
      { trainable: { lastStages: 7 }, text: '7' },
    ]
    for (const { text, ...override } of bad) {
      const build = buildClassifier({
        architecture: 'compact-resnet',
        numClasses: 3,
        seed: 1,
        ...override,
      })
      await expect(build).rejects.toThrow(AblateError)
      await expect(build).rejects.toThrow(text)
    }
  })
})

describe("weights: 'imagenet' from the Keras cache folder", () => {
  test('loads a cached no-top file by layer name without any network', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ablate-keras-home-'))
    const saved = process.env.KERAS_HOME
    try {
      // A stand-in for Keras' file: a seeded MobileNetV2 backbone (no avg_pool, no head), as Keras
      // writes include_top=False models. Keras publishes no md5 for it, so no check applies.
      const source = await buildClassifier({
        architecture: 'mobilenetv2',
        numClasses: 2,
        seed: 31,
        inputSize: 32,
      })
      const backbone = tf.model({
        inputs: source.model.inputs,
        outputs: source.model.getLayer('out_relu').output,
      })
      const fileName = getArchitectureSpec('mobilenetv2').imagenet!.fileName
      await writeKerasWeights({ model: backbone, path: join(home, 'models', fileName) })
      process.env.KERAS_HOME = home

      const c = await buildClassifier({
        architecture: 'mobilenetv2',
        numClasses: 3,
        seed: 32,
        inputSize: 32,
        weights: 'imagenet',
      })
      expect(kernelOf(c.model, 'block_16_project')).toEqual(
        kernelOf(source.model, 'block_16_project'),
      )
      expect(kernelOf(c.model, 'Conv_1_bn')).toEqual(kernelOf(source.model, 'Conv_1_bn'))
    } finally {
      if (saved === undefined) delete process.env.KERAS_HOME
      else process.env.KERAS_HOME = saved
      await rm(home, { recursive: true, force: true })
    }
  })
})

describe('summary and tensor hygiene', () => {
  test('summarizeClassifier reports the cut and the parameter split', async () => {
    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 1,
      trainable: { lastStages: 1 },
    })
    const summary = summarizeClassifier(c)
    expect(summary).toMatchObject({
      architecture: 'compact-resnet',
      cutLayer: 'conv3_block2_out',
      params: 176_288 + 195,
    })
    expect(summary.frozenParams + summary.trainableParams).toBe(summary.params)
    // The last stage: 58,304 + 74,368 parameters (see compact-resnet.ts), plus the head.
    expect(summary.trainableParams).toBe(58_304 + 74_368 + 195)
  })

  test('building, loading weights and predicting leave only the weight variables behind', async () => {
    const home = await mkdtemp(join(tmpdir(), 'ablate-leak-'))
    try {
      const source = await buildClassifier({
        architecture: 'compact-resnet',
        numClasses: 3,
        seed: 1,
      })
      const path = join(home, 'w.h5')
      await writeKerasWeights({ model: source.model, path })

      const before = tf.memory().numTensors
      const c = await buildClassifier({
        architecture: 'compact-resnet',
        numClasses: 3,
        seed: 2,
        weights: path,
        dropout: 0.5,
      })
      const x = images(2, 32)
      const features = c.frozen!.predict(x) as tf.Tensor
      const y = c.trainable.predict(features) as tf.Tensor
      const trained = tf.tidy(
        () => c.trainable.apply(tf.ones([2, 64]), { training: true }) as tf.Tensor,
      )
      tf.dispose([x, features, y, trained])
      // What stays is the model's own weights, nothing else.
      expect(tf.memory().numTensors - before).toBe(c.model.weights.length)
    } finally {
      await rm(home, { recursive: true, force: true })
    }
  })
})

test('a failed weight load frees the model it built', async () => {
  const before = tf.memory().numTensors
  await expect(
    buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 1,
      weights: '/nonexistent/w.h5',
    }),
  ).rejects.toThrow('/nonexistent/w.h5')
  expect(tf.memory().numTensors).toBe(before)
})

test('an architecture outside the zoo is named, with the ones that exist', async () => {
  const build = buildClassifier({
    architecture: 'efficientnetb0' as Architecture,
    numClasses: 3,
    seed: 1,
  })
  await expect(build).rejects.toThrow(
    /'efficientnetb0'.*compact-resnet, resnet50, mobilenetv2, densenet121/,
  )
})
