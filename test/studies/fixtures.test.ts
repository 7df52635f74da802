import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import sharp from 'sharp'
import { describe, expect, test } from 'vitest'
import {
  FASHION_MNIST_DIR,
  firstOfClass,
  imageAt,
  readFashionMnist,
} from '../../fixtures/fashion-mnist.js'
import { FASHION3_CLASSES } from '../../scripts/make-fixtures.js'

const FIXTURE_DIR = 'fixtures/fashion3'
const hasDebianData = existsSync(join(FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz'))

describe('fixtures/fashion3 as committed', () => {
  test('holds 240, 120 and 60 PNG files (4:2:1) in one folder per class', async () => {
    const counts = await Promise.all(
      FASHION3_CLASSES.map(async (c) => (await readdir(join(FIXTURE_DIR, c.folder))).length),
    )

    expect(counts).toEqual([240, 120, 60])
  })

  test('every file is a 28x28 three-channel PNG', async () => {
    const files = await readdir(join(FIXTURE_DIR, 'shirt'))
    const metas = await Promise.all(
      files.map((f) => sharp(join(FIXTURE_DIR, 'shirt', f)).metadata()),
    )

    for (const meta of metas) {
      expect([meta.format, meta.width, meta.height, meta.channels]).toEqual(['png', 28, 28, 3])
    }
  })
})

describe.skipIf(!hasDebianData)('fixtures/fashion3 against Debian dataset-fashion-mnist', () => {
  test('the pixels of each sampled file equal the source image its name gives', async () => {
    const train = await readFashionMnist({ part: 'train' })

    for (const cls of FASHION3_CLASSES) {
      const files = (await readdir(join(FIXTURE_DIR, cls.folder))).slice(0, 5)
      for (const file of files) {
        const index = Number(/train-(\d+)\.png/.exec(file)?.[1])
        const { data } = await sharp(join(FIXTURE_DIR, cls.folder, file))
          .raw()
          .toBuffer({ resolveWithObject: true })
        const red = Uint8Array.from({ length: 784 }, (_, i) => data[i * 3] ?? -1)

        expect(train.labels[index]).toBe(cls.label)
        expect(red).toEqual(imageAt(train, index))
      }
    }
  })
})

describe('firstOfClass', () => {
  test('returns increasing indices of the asked label, count long, after skipping', () => {
    const labelsArb = fc.uint8Array({ minLength: 1, maxLength: 200, max: 3 })
    fc.assert(
      fc.property(labelsArb, fc.integer({ min: 0, max: 3 }), fc.nat(5), (labels, label, skip) => {
        const total = labels.filter((l) => l === label).length
        fc.pre(total > skip)
        const count = total - skip
        const picked = firstOfClass({ labels, label, count, skip })

        expect(picked).toHaveLength(count)
        expect(picked.every((i) => labels[i] === label)).toBe(true)
        expect(picked.every((v, i) => i === 0 || v > (picked[i - 1] ?? -1))).toBe(true)
      }),
    )
  })

  test('names the class and the shortfall when too few images exist', () => {
    expect(() => firstOfClass({ labels: new Uint8Array([1, 1, 2]), label: 1, count: 3 })).toThrow(
      /3 images of class 1.*found 2/,
    )
  })
})

describe('readFashionMnist', () => {
  test('names the missing file and the package to install', async () => {
    await expect(readFashionMnist({ part: 't10k', dir: '/nonexistent-fmnist' })).rejects.toThrow(
      /\/nonexistent-fmnist\/t10k-.*dataset-fashion-mnist/,
    )
  })
})
