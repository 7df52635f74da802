import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import type * as H5 from 'h5wasm'
import h5wasm from 'h5wasm/node'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import {
  buildClassifier,
  loadKerasWeights,
  readKerasWeightsFile,
  writeKerasWeights,
} from '../../src/models/index.js'
import { kernelOf, layerWeights } from './weights.js'

let dir: string

beforeAll(async () => {
  await tf.setBackend('wasm')
  await h5wasm.ready
  dir = await mkdtemp(join(tmpdir(), 'ablate-h5-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A tiny model with a Keras-style nested name (as DenseNet's `conv1/conv`). */
function tinyModel(args: { seed: number; units: number }): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 2], name: 'input_1' })
  const init = tf.initializers.glorotUniform({ seed: args.seed })
  const conv = tf.layers.conv2d({
    name: 'conv1/conv',
    filters: 3,
    kernelSize: 3,
    kernelInitializer: init,
    biasInitializer: init,
  })
  const bn = tf.layers.batchNormalization({
    name: 'conv1/bn',
    gammaInitializer: init,
    movingMeanInitializer: init,
  })
  const pool = tf.layers.globalAveragePooling2d({ name: 'avg_pool' })
  const dense = tf.layers.dense({ name: 'predictions', units: args.units, kernelInitializer: init })
  const output = dense.apply(pool.apply(bn.apply(conv.apply(input)))) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output })
}

describe('Keras 2 .h5 weights', () => {
  test('write then read restores every weight of a compact-resnet classifier', async () => {
    const source = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 11,
    })
    const target = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 12,
    })
    const path = join(dir, 'compact.h5')
    await writeKerasWeights({ model: source.model, path })

    const summary = await loadKerasWeights({ model: target.model, path })
    expect(summary.notInFile).toEqual([])
    expect(summary.loaded).toContain('conv4_block2_2_bn')
    expect(layerWeights(target.model)).toEqual(layerWeights(source.model))
  })

  test('the file has the Keras 2 layout: layer_names, weight_names, <layer>/<layer>/<w>:0', async () => {
    const model = tinyModel({ seed: 1, units: 2 })
    const path = join(dir, 'layout.h5')
    await writeKerasWeights({ model, path })

    const file = new h5wasm.File(path, 'r')
    try {
      expect(file.attrs.layer_names?.value).toEqual(model.layers.map((l) => l.name))
      expect(file.attrs.keras_version?.value).toMatch(/^2\./)
      const bn = file.get('conv1/bn') as H5.Group
      expect(bn.attrs.weight_names?.value).toEqual([
        'conv1/bn/gamma:0',
        'conv1/bn/beta:0',
        'conv1/bn/moving_mean:0',
        'conv1/bn/moving_variance:0',
      ])
      const kernel = file.get('conv1/conv/conv1/conv/kernel:0') as H5.Dataset
      expect(kernel.shape).toEqual([3, 3, 2, 3])
      const expected = model.getLayer('conv1/conv').getWeights()[0]!.dataSync()
      expect(kernel.value).toEqual(expected)
    } finally {
      file.close()
    }
  })

  test('reads names chunked into layer_names0, layer_names1, ... and weight_names0, ...', async () => {
    const model = tinyModel({ seed: 2, units: 2 })
    const path = join(dir, 'chunked.h5')
    await writeKerasWeights({ model, path, attributeLimitBytes: 24 })

    const file = new h5wasm.File(path, 'r')
    const attrs = Object.keys(file.attrs)
    file.close()
    expect(attrs).toContain('layer_names1')
    expect(attrs).not.toContain('layer_names')

    const target = tinyModel({ seed: 3, units: 2 })
    await loadKerasWeights({ model: target, path })
    expect(layerWeights(target)).toEqual(layerWeights(model))
    const stored = await readKerasWeightsFile(path)
    expect(stored.format).toBe('keras2')
    expect(stored.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name))
  })

  test('reads a whole saved model (weights under model_weights, fixed-length names)', async () => {
    const model = tinyModel({ seed: 4, units: 2 })
    const path = join(dir, 'whole.h5')
    writeWholeModelFile({ model, path })

    const target = tinyModel({ seed: 5, units: 2 })
    await loadKerasWeights({ model: target, path })
    expect(layerWeights(target)).toEqual(layerWeights(model))
  })

  test('reads Keras 3 .weights.h5 (layers/<snake_class>[_N]/vars/<i>)', async () => {
    const model = tinyModel({ seed: 8, units: 2 })
    const path = join(dir, 'tiny.weights.h5')
    writeKeras3File({ model, path })

    const target = tinyModel({ seed: 9, units: 2 })
    const summary = await loadKerasWeights({ model: target, path })
    expect(summary.loaded.sort()).toEqual(['conv1/bn', 'conv1/conv', 'predictions'])
    expect(layerWeights(target)).toEqual(layerWeights(model))
    const other = await buildClassifier({ architecture: 'compact-resnet', numClasses: 2, seed: 1 })
    await expect(loadKerasWeights({ model: other.model, path })).rejects.toThrow(
      /'conv1_bn'.*expected shape \[16\], found \[3\]/,
    )
  })

  test("reads Keras 2.13's _layer_checkpoint_dependencies variant", async () => {
    const model = tinyModel({ seed: 12, units: 2 })
    const path = join(dir, 'k213.weights.h5')
    writeKeras3File({ model, path, listGroup: '_layer_checkpoint_dependencies' })
    const target = tinyModel({ seed: 13, units: 2 })
    await loadKerasWeights({ model: target, path })
    expect(layerWeights(target)).toEqual(layerWeights(model))
  })

  test('BatchNorm arrays stored out of order are matched by their names', async () => {
    const model = tinyModel({ seed: 10, units: 2 })
    const path = join(dir, 'shuffled.h5')
    writeWholeModelFile({ model, path, reverse: true })
    const target = tinyModel({ seed: 11, units: 2 })
    await loadKerasWeights({ model: target, path })
    expect(layerWeights(target)).toEqual(layerWeights(model))
  })

  test('a shape mismatch names the layer and both shapes', async () => {
    const path = join(dir, 'two-classes.h5')
    await writeKerasWeights({ model: tinyModel({ seed: 6, units: 2 }), path })
    const load = loadKerasWeights({ model: tinyModel({ seed: 6, units: 5 }), path })
    await expect(load).rejects.toThrow(AblateError)
    await expect(load).rejects.toThrow(/'predictions'.*expected shape \[3, 5\], found \[3, 2\]/)
  })

  test('excluded layers are skipped, unknown layers and non-h5 files are named', async () => {
    const path = join(dir, 'tiny.h5')
    await writeKerasWeights({ model: tinyModel({ seed: 7, units: 2 }), path })
    const wider = tinyModel({ seed: 7, units: 5 })
    const summary = await loadKerasWeights({ model: wider, path, exclude: ['predictions'] })
    expect(summary.notInFile).toEqual(['predictions'])

    const compact = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 2,
      seed: 1,
    })
    await expect(loadKerasWeights({ model: compact.model, path })).rejects.toThrow("'conv1/conv'")
    await expect(
      buildClassifier({
        architecture: 'compact-resnet',
        numClasses: 2,
        seed: 1,
        weights: join(dir, 'nope.h5'),
      }),
    ).rejects.toThrow('nope.h5')
  })

  test('buildClassifier loads a backbone file and keeps its own seeded head', async () => {
    const pretrained = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 10,
      seed: 21,
    })
    const path = join(dir, 'pretrained.h5')
    await writeKerasWeights({ model: pretrained.model, path })

    const c = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      seed: 22,
      weights: path,
    })
    const fresh = await buildClassifier({ architecture: 'compact-resnet', numClasses: 3, seed: 22 })
    expect(kernelOf(c.model, 'conv3_block1_1_conv')).toEqual(
      kernelOf(pretrained.model, 'conv3_block1_1_conv'),
    )
    expect(kernelOf(c.model, 'predictions')).toEqual(kernelOf(fresh.model, 'predictions'))
  })
})

/**
 * Writes what Keras' `model.save('x.h5')` writes: weights under `model_weights`, 'S' strings.
 * `reverse` stores each layer's arrays in reverse order (names still say which is which).
 */
function writeWholeModelFile(args: {
  model: tf.LayersModel
  path: string
  reverse?: boolean
}): void {
  const file = new h5wasm.File(args.path, 'w')
  const root = file.create_group('model_weights')
  const names = args.model.layers.map((l) => l.name)
  root.create_attribute('layer_names', names, null, `S${Math.max(...names.map((n) => n.length))}`)
  for (const layer of args.model.layers) {
    let group = root as H5.Group
    for (const part of layer.name.split('/')) {
      group = group.keys().includes(part) ? (group.get(part) as H5.Group) : group.create_group(part)
    }
    const weights = args.reverse ? [...layer.weights].reverse() : layer.weights
    const weightNames = weights.map((w) => `${w.originalName}:0`)
    group.create_attribute(
      'weight_names',
      weightNames,
      null,
      weightNames.length ? `S${Math.max(...weightNames.map((n) => n.length))}` : null,
    )
    for (const [i, w] of weights.entries()) {
      const parts = weightNames[i]!.split('/')
      let parent = group
      for (const part of parts.slice(0, -1)) {
        parent = parent.keys().includes(part)
          ? (parent.get(part) as H5.Group)
          : parent.create_group(part)
      }
      parent.create_dataset({
        name: parts.at(-1)!,
        data: w.read().dataSync() as Float32Array,
        shape: w.shape as number[],
      })
    }
  }
  file.close()
}

/**
 * Writes Keras 3's `save_weights('x.weights.h5')` layout for a flat functional model (Keras 2.13
 * named the list group `_layer_checkpoint_dependencies`).
 */
function writeKeras3File(args: { model: tf.LayersModel; path: string; listGroup?: string }): void {
  const file = new h5wasm.File(args.path, 'w')
  file.create_group('vars')
  const layers = file.create_group(args.listGroup ?? 'layers')
  const snake: Record<string, string> = {
    InputLayer: 'input_layer',
    Conv2D: 'conv2d',
    BatchNormalization: 'batch_normalization',
    GlobalAveragePooling2D: 'global_average_pooling2d',
    Dense: 'dense',
  }
  for (const layer of args.model.layers) {
    const vars = layers.create_group(snake[layer.getClassName()]!).create_group('vars')
    for (const [i, w] of layer.weights.entries()) {
      vars.create_dataset({
        name: String(i),
        data: w.read().dataSync() as Float32Array,
        shape: w.shape as number[],
      })
    }
  }
  file.close()
}
