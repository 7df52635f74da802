import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { RunContext } from '../../src/spec/run.js'
import {
  clearFeatureMemory,
  featurePath,
  readFeatureTable,
  writeFeatureTable,
} from '../../src/train/feature-cache.js'
import { type TrainConfig, trainRun } from '../../src/train/index.js'
import { writeClassFolders } from '../data/fashion-mnist.js'
import { fixtureRunContext } from './fixtures.js'

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-features-'))
  clearFeatureMemory()
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('feature tables on disk', () => {
  test('round-trip any table bit for bit, leaving no temp file', async () => {
    const table = fc.tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }),
    )
    await fc.assert(
      fc.asyncProperty(table, fc.integer(), async ([n, shape], seed) => {
        const size = n * shape.reduce((a, b) => a * b, 1)
        const values = Float32Array.from({ length: size }, (_, i) =>
          Math.fround(Math.sin(seed + i) * 1e3),
        )
        const key = `k${seed >>> 0}`
        await writeFeatureTable({
          key,
          table: { n, shape, values },
          location: { kind: 'disk', dir },
        })
        clearFeatureMemory()

        const hit = await readFeatureTable({ key, location: { kind: 'disk', dir } })

        expect(hit?.from).toBe('disk')
        expect(hit?.table).toEqual({ n, shape, values })
      }),
      { numRuns: 20 },
    )
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  test('a second read comes from memory', async () => {
    const table = { n: 1, shape: [2], values: new Float32Array([1, 2]) }
    await writeFeatureTable({ key: 'a', table, location: { kind: 'disk', dir } })

    expect((await readFeatureTable({ key: 'a', location: { kind: 'disk', dir } }))?.from).toBe(
      'memory',
    )
  })

  test('memory-only tables never touch the disk', async () => {
    const table = { n: 1, shape: [1], values: new Float32Array([3]) }
    await writeFeatureTable({ key: 'm', table, location: { kind: 'memory' } })

    expect(await readdir(dir)).toEqual([])
    clearFeatureMemory()
    expect(await readFeatureTable({ key: 'm', location: { kind: 'memory' } })).toBeNull()
  })

  test('a truncated or foreign file counts as a miss', async () => {
    const table = { n: 2, shape: [2], values: new Float32Array([1, 2, 3, 4]) }
    await writeFeatureTable({ key: 't', table, location: { kind: 'disk', dir } })
    const bytes = await readFile(featurePath(dir, 't'))
    await writeFile(featurePath(dir, 't'), bytes.subarray(0, bytes.length - 4))
    await writeFile(featurePath(dir, 'x'), 'not a table')
    clearFeatureMemory()

    expect(await readFeatureTable({ key: 't', location: { kind: 'disk', dir } })).toBeNull()
    expect(await readFeatureTable({ key: 'x', location: { kind: 'disk', dir } })).toBeNull()
  })
})

/** The fixture compact ResNet pretrained on 7 other Fashion-MNIST classes (weights not seeded). */
const BACKBONE = 'fixtures/backbone/compact-resnet-fmnist7.h5'

describe('trainRun reuses frozen-backbone features across variants', () => {
  function context(config: TrainConfig, seed: number, data: string): RunContext<TrainConfig> {
    return fixtureRunContext({
      config: { weights: BACKBONE, epochs: 1, batchSize: 16, ...config, data: { dir: data } },
      seed,
      cacheDir: dir,
      experiment: 'feature-cache',
    })
  }

  test('another dropout and seed hit the cache (memory, then disk); another contrast does not', async () => {
    const data = await writeClassFolders({
      dir: join(dir, 'data'),
      perClass: { tshirt: 12, pullover: 12, shirt: 12 },
    })
    const run = (config: TrainConfig, seed: number) => trainRun(context(config, seed, data))
    const features = async (config: TrainConfig, seed: number) =>
      (await run(config, seed)).details?.features

    const first = await run({ dropout: 0 }, 1)
    expect(first.details?.features).toBe('computed')
    // Dropout sits in the head, and the backbone's weights come from the file, not the seed.
    expect(await features({ dropout: 0.5 }, 2)).toBe('memory')
    clearFeatureMemory()
    const again = await run({ dropout: 0 }, 1)
    expect(again.details?.features).toBe('disk')
    // The table read back trains exactly as the one computed (timings aside).
    expect(again.metrics).toEqual(first.metrics)
    expect(again.details?.validationLoss).toBe(first.details?.validationLoss)
    // Contrast changes the backbone's input, so its features are another table.
    expect(await features({ dropout: 0, contrast: 2 }, 1)).toBe('computed')
    expect(await features({ featureCache: 'off' }, 1)).toBe('live')
  })
})
