import { cp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadLabelledImages } from '../../src/data/index.js'
import { dataError } from './data-error.js'
import { makeTempDir } from './fashion-mnist.js'

/** The committed fixture: pullover/ (120), shirt/ (60), tshirt-top/ (240) real 28x28 PNGs. */
const FASHION3 = resolve('fixtures/fashion3')

let root: string

beforeAll(async () => {
  root = await makeTempDir('ablate-classes-')
})

afterAll(() => rm(root, { recursive: true, force: true }))

/** The first image of each fixture class, as `path,label` rows with absolute paths. */
async function firstImages(): Promise<string[]> {
  const rows: string[] = []
  for (const name of ['tshirt-top', 'pullover', 'shirt']) {
    const file = (await readdir(join(FASHION3, name))).sort()[0] as string
    rows.push(`${join(FASHION3, name, file)},${name}`)
  }
  return rows
}

describe('loadLabelledImages with classNames, on the fashion3 fixture', () => {
  test('class folders: the list fixes the class order, index = position', async () => {
    const classNames = ['tshirt-top', 'pullover', 'shirt']
    const data = await loadLabelledImages({ dir: FASHION3, classNames, probe: false })
    const counts = classNames.map((_, k) => data.items.filter((i) => i.label === k).length)

    expect(data.classNames).toEqual(classNames)
    expect(counts).toEqual([240, 120, 60])
    expect(
      data.items.filter((i) => i.label === 0).every((i) => i.path.includes('tshirt-top')),
    ).toBe(true)
  })

  test('a class folder outside the list is an error naming the folder', async () => {
    const message = await dataError(
      loadLabelledImages({ dir: FASHION3, classNames: ['tshirt-top', 'pullover'] }),
    )

    expect(message).toContain(join(FASHION3, 'shirt'))
    expect(message).toContain('["tshirt-top","pullover"]')
    expect(message).toContain('data.classes')
  })

  test('a listed class without a folder is an error naming the folder it expected', async () => {
    const classNames = ['tshirt-top', 'pullover', 'shirt', 'coat']
    const message = await dataError(loadLabelledImages({ dir: FASHION3, classNames }))

    expect(message).toContain(join(FASHION3, 'coat'))
    expect(message).toContain("'coat'")
  })

  test('hidden folders are ignored, not taken for classes outside the list', async () => {
    const dir = join(root, 'hidden')
    await cp(join(FASHION3, 'shirt'), join(dir, 'shirt'), { recursive: true })
    await mkdir(join(dir, '.thumbs'))
    const data = await loadLabelledImages({ dir, classNames: ['shirt'], probe: false })

    expect(data.items).toHaveLength(60)
  })

  test('CSV: the list fixes the order; a label outside it names the file, line and classes', async () => {
    const csv = join(root, 'labels.csv')
    const rows = await firstImages()
    await writeFile(csv, `path,label\n${rows.join('\n')}\n`)
    const data = await loadLabelledImages({ csv, classNames: ['shirt', 'pullover', 'tshirt-top'] })
    expect(data.items.map((i) => i.label)).toEqual([2, 1, 0])

    const message = await dataError(
      loadLabelledImages({ csv, classNames: ['tshirt-top', 'pullover'] }),
    )
    expect(message).toContain('labels.csv line 4')
    expect(message).toContain("'shirt'")
    expect(message).toContain('["tshirt-top","pullover"]')
  })
})
