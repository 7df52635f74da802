import { readFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, test } from 'vitest'
import { FASHION3_BACKBONE } from '../../experiments/fashion3.js'
import { buildClassifier, md5OfFile, readKerasWeightsFile } from '../../src/models/index.js'

/** The record scripts/pretrain-backbone.ts writes next to the .h5 file. */
interface BackboneRecord {
  architecture: string
  labels: number[]
  heldOutAccuracy: number
  heldOutImages: number
  md5: string
}

const recordPath = FASHION3_BACKBONE.replace(/\.h5$/, '.json')
let record: BackboneRecord

beforeAll(async () => {
  await tf.setBackend('cpu')
  record = JSON.parse(await readFile(recordPath, 'utf8')) as BackboneRecord
})

describe('the committed pretrained backbone', () => {
  test('is the file its record describes (md5)', async () => {
    expect(await md5OfFile(FASHION3_BACKBONE)).toBe(record.md5)
  })

  test('was pretrained only on classes the fine-tuning fixture does not use', () => {
    for (const label of [0, 2, 6]) expect(record.labels).not.toContain(label)
    expect(record.labels).toHaveLength(7)
  })

  test('recorded a held-out accuracy far above chance (1/7) on at least 2,000 images', () => {
    expect(record.heldOutImages).toBeGreaterThanOrEqual(2000)
    expect(record.heldOutAccuracy).toBeGreaterThan(0.7)
  })

  test('is a Keras 2 notop file that loads into compact-resnet through the ImageNet path', async () => {
    const stored = await readKerasWeightsFile(FASHION3_BACKBONE)
    const classifier = await buildClassifier({
      architecture: 'compact-resnet',
      numClasses: 3,
      weights: FASHION3_BACKBONE,
      seed: 5,
    })
    const conv1 = stored.layers.find((layer) => layer.name === 'conv1_conv')?.arrays[0]
    const loaded = classifier.model.getLayer('conv1_conv').getWeights()[0]

    expect(stored.format).toBe('keras2')
    expect(stored.layers.map((layer) => layer.name)).not.toContain('predictions')
    expect(Array.from(loaded?.dataSync() ?? [])).toEqual(Array.from(conv1?.values ?? [1]))
    classifier.model.dispose()
  })
})
