import { join } from 'node:path'
import { expect, test } from 'vitest'
import { decodeImages, loadLabelledImages, stratifiedSplit } from '../../src/data/index.js'
import { makeTempDir, writeClassFolders } from './fashion-mnist.js'

test('smoke', async () => {
  const dir = await makeTempDir()
  await writeClassFolders({
    dir: join(dir, 'imgs'),
    perClass: { tshirt: 10, pullover: 5, shirt: 3 },
  })
  const data = await loadLabelledImages({ dir: join(dir, 'imgs') })
  expect(data.classNames).toEqual(['pullover', 'shirt', 'tshirt'])
  const d = await decodeImages({
    paths: data.items.map((i) => i.path),
    size: 32,
    cacheDir: join(dir, 'c'),
  })
  expect(d.n).toBe(18)
  expect(d.stats.decoded).toBe(18)
  const d2 = await decodeImages({
    paths: data.items.map((i) => i.path),
    size: 32,
    cacheDir: join(dir, 'c'),
  })
  expect(d2.stats.decoded).toBe(0)
  expect(d2.pixels).toEqual(d.pixels)
  const s = stratifiedSplit({
    labels: data.items.map((i) => i.label),
    classNames: data.classNames,
    seed: 1,
  })
  expect(s.counts).toEqual({ train: [4, 2, 8], validation: [1, 1, 2] })
})
