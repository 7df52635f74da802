import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { type TrainConfig, trainRun } from '../../src/train/index.js'
import { resolveTrainConfig } from '../../src/train/resolved-config.js'
import { FASHION3_DIR, fixtureRunContext } from './fixtures.js'

let cacheDir: string

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ablate-data-classes-'))
})

afterAll(() => rm(cacheDir, { recursive: true, force: true }))

function run(data: TrainConfig['data'], epochs = 1) {
  return trainRun(
    fixtureRunContext({ config: { data, epochs }, cacheDir, experiment: 'data-classes' }),
  )
}

async function failure(promise: Promise<unknown>): Promise<AblateError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AblateError)
  return error as AblateError
}

describe('data.classes and data.resize in the resolved config', () => {
  test('a class list is kept as given; none resolves to null', () => {
    expect(resolveTrainConfig({ data: { classes: ['b', 'a'] } }).data.classes).toEqual(['b', 'a'])
    expect(resolveTrainConfig({}).data.classes).toBeNull()
  })

  test.each([
    [[], '[]'],
    [['shirt', 'pullover', 'shirt'], "'shirt' twice"],
    [['shirt', ''], '""'],
    [['shirt', 7], '7'],
    [['shirt', undefined], 'undefined in'],
    ['shirt', '"shirt"'],
  ])('rejects data.classes %j naming the value', (classes, shown) => {
    const attempt = () => resolveTrainConfig({ data: { classes: classes as string[] } })

    expect(attempt).toThrow(AblateError)
    expect(attempt).toThrow('data.classes')
    expect(attempt).toThrow(shown)
  })

  test('rejects a data.resize outside stretch, cover, contain, naming the value', () => {
    const attempt = () => resolveTrainConfig({ data: { resize: 'fill' as 'cover' } })

    expect(attempt).toThrow(AblateError)
    expect(attempt).toThrow(/data\.resize.*'stretch', 'cover', 'contain'.*"fill"/)
    for (const resize of ['stretch', 'cover', 'contain'] as const) {
      expect(resolveTrainConfig({ data: { resize } }).data.resize).toBe(resize)
    }
  })
})

describe('data.classes through trainRun on the fashion3 fixture (wasm)', () => {
  test('fixes the class order of the run; split counts follow it (seed 42, 20%)', async () => {
    const classes = ['tshirt-top', 'pullover', 'shirt']
    const result = await run({ dir: FASHION3_DIR, classes })

    expect(result.details).toMatchObject({
      classNames: classes,
      trainSplitClassCounts: [192, 96, 48],
      validationClassCounts: [48, 24, 12],
      trainClassCounts: [192, 96, 48],
    })
    expect(result.details?.perClass).toHaveLength(3)
  })

  test('a class folder outside the list fails the run, naming the folder', async () => {
    const error = await failure(run({ dir: FASHION3_DIR, classes: ['pullover', 'tshirt-top'] }))

    expect(error.code).toBe('ABLATE_DATA_INVALID')
    expect(error.message).toContain(join(resolve(FASHION3_DIR), 'shirt'))
  })

  test('a CSV label outside the list fails the run, naming the CSV, line, label and classes', async () => {
    const rows: string[] = []
    for (const name of ['pullover', 'shirt', 'tshirt-top']) {
      const files = (await readdir(join(FASHION3_DIR, name))).sort().slice(0, 3)
      rows.push(...files.map((file) => `${resolve(FASHION3_DIR, name, file)},${name}`))
    }
    const csv = join(cacheDir, 'fashion3.csv')
    await writeFile(csv, `path,label\n${rows.join('\n')}\n`)

    const error = await failure(run({ csv, classes: ['pullover', 'tshirt-top'] }))
    expect(error.code).toBe('ABLATE_DATA_INVALID')
    expect(error.message).toContain('fashion3.csv line 5')
    expect(error.message).toContain("'shirt'")
    expect(error.message).toContain('["pullover","tshirt-top"]')
  })
})
