import * as tf from '@tensorflow/tfjs'
import '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  buildClassifier,
  getArchitectureSpec,
  listArchitectures,
  splitModelAt,
} from '../../src/models/index.js'

beforeAll(async () => {
  await tf.setBackend('wasm')
})

/**
 * Layer counts of the backbone (input layer included) are `len(base_model.layers)` of Keras'
 * `include_top=False` models: 175 (ResNet50), 154 (MobileNetV2, TensorFlow's transfer-learning
 * tutorial), 427 (DenseNet121). Parameter counts without top are Keras facts: Keras Applications' documentation table and
 * `model.summary()` of `include_top=False` models (ResNet50 23,587,712; MobileNetV2 at alpha 1.0
 * 2,257,984; DenseNet121 7,037,504). Built at a small input: counts do not depend on the size.
 */
describe.each([
  [
    'resnet50',
    23_587_712,
    175,
    2048,
    ['conv1_conv', 'conv2_block1_1_conv', 'conv4_block6_out', 'conv5_block3_out'],
  ],
  [
    'mobilenetv2',
    2_257_984,
    154,
    1280,
    ['Conv1', 'expanded_conv_depthwise', 'block_16_project_BN', 'out_relu'],
  ],
  [
    'densenet121',
    7_037_504,
    427,
    1024,
    ['conv1/conv', 'conv2_block1_1_conv', 'pool4_pool', 'conv5_block16_concat'],
  ],
] as const)('%s', (architecture, backboneParams, backboneLayers, channels, names) => {
  test(`has ${backboneParams} parameters without top, Keras layer names and stages`, async () => {
    const c = await buildClassifier({ architecture, numClasses: 3, seed: 1, inputSize: 64 })
    try {
      expect(c.frozen!.countParams()).toBe(backboneParams)
      expect(c.model.countParams()).toBe(backboneParams + channels * 3 + 3)
      // The frozen part ends at avg_pool, one layer past Keras' include_top=False model.
      expect(c.frozen!.layers).toHaveLength(backboneLayers + 1)
      // DESIGN.md: 106 layers of Keras' ResNet50 without top carry weights.
      const weighted = c.frozen!.layers.filter((l) => l.weights.length > 0).length
      if (architecture === 'resnet50') expect(weighted).toBe(106)
      const layerNames = c.model.layers.map((l) => l.name)
      expect(layerNames).toEqual(expect.arrayContaining([...names]))
      for (const end of getArchitectureSpec(architecture).stageEnds)
        expect(layerNames).toContain(end)

      const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 5)
      const y = c.model.predict(x) as tf.Tensor
      expect(y.shape).toEqual([1, 3])
      expect(y.sum().arraySync()).toBeCloseTo(1, 5)
      // Every stage end is a clean cut: the two halves compose to the whole model.
      const full = Array.from(y.dataSync())
      for (const layerName of getArchitectureSpec(architecture).stageEnds) {
        const { head, tail } = splitModelAt({ model: c.model, layerName })
        const composed = tf.tidy(() =>
          (tail.predict(head.predict(x) as tf.Tensor) as tf.Tensor).dataSync(),
        )
        expect(Array.from(composed), layerName).toEqual(full.map((v) => expect.closeTo(v, 5)))
      }
      tf.dispose([x, y])
    } finally {
      c.model.dispose()
    }
  })
})

/**
 * Input conventions of the Keras Applications models whose ImageNet weights the zoo loads:
 * `preprocess_input` of keras.applications.resnet50 is 'caffe', of mobilenet_v2 'tf', of densenet
 * 'torch'. compact-resnet has no published weights and declares 'tf'. The numbers each convention
 * gives are checked in test/data/preprocess.test.ts.
 */
describe('per-architecture preprocessing', () => {
  const expected = {
    resnet50: 'caffe',
    mobilenetv2: 'tf',
    densenet121: 'torch',
    'compact-resnet': 'tf',
  } as const

  test('every architecture of the zoo declares its Keras convention', () => {
    expect([...listArchitectures()].sort()).toEqual(Object.keys(expected).sort())
    for (const architecture of listArchitectures()) {
      expect(getArchitectureSpec(architecture).preprocessing, architecture).toBe(
        expected[architecture as keyof typeof expected],
      )
    }
  })

  test('a built classifier carries the convention of its spec to training', async () => {
    const c = await buildClassifier({ architecture: 'compact-resnet', numClasses: 3, seed: 1 })
    try {
      expect(c.preprocessing).toBe(getArchitectureSpec('compact-resnet').preprocessing)
    } finally {
      c.model.dispose()
    }
  })
})
