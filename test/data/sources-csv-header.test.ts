import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { loadLabelledImages } from '../../src/data/index.js'
import { dataError } from './data-error.js'
import { makeTempDir } from './fashion-mnist.js'

const FASHION3 = resolve('fixtures/fashion3')

let root: string
let rows: string[]

beforeAll(async () => {
  root = await makeTempDir('ablate-csv-header-')
  await mkdir(join(root, 'img'))
  rows = []
  for (const name of ['pullover', 'shirt']) {
    const file = (await readdir(join(FASHION3, name))).sort()[0] as string
    await copyFile(join(FASHION3, name, file), join(root, 'img', `${name}.png`))
    rows.push(`img/${name}.png,${name}`)
  }
})

afterAll(() => rm(root, { recursive: true, force: true }))

async function csvWith(name: string, text: string): Promise<string> {
  const csv = join(root, name)
  await writeFile(csv, text)
  return csv
}

describe('a CSV whose first line is a header other than path,label', () => {
  test.each([['filename,class'], ['image,category'], ['File;Label']])(
    '%s is an error asking for the header path,label',
    async (header) => {
      const csv = await csvWith('other-header.csv', `${header}\n${rows.join('\n')}\n`)
      const message = await dataError(loadLabelledImages({ csv }))

      expect(message).toContain(csv)
      expect(message).toContain(`"${header}"`)
      expect(message).toContain('line 1')
      expect(message).toContain('path,label')
      expect(message).not.toContain('does not exist')
    },
  )

  test('is an error even with skipUnreadable, and before a class list rejects its label', async () => {
    const csv = await csvWith('other-header-skip.csv', `filename,class\n${rows.join('\n')}\n`)

    expect(await dataError(loadLabelledImages({ csv, skipUnreadable: true }))).toContain(
      '"filename,class"',
    )
    expect(
      await dataError(loadLabelledImages({ csv, classNames: ['pullover', 'shirt'] })),
    ).toContain('path,label')
  })

  test('path,label in any case and order is read as the header', async () => {
    const csv = await csvWith('header.csv', `Label,PATH\n${rows.map(swap).join('\n')}\n`)
    const data = await loadLabelledImages({ csv })

    expect(data.classNames).toEqual(['pullover', 'shirt'])
    expect(data.items).toHaveLength(2)
  })

  test('without a header, a missing image on line 1 is still reported as a missing file', async () => {
    const csv = await csvWith('missing-first.csv', `img/gone.png,shirt\n${rows.join('\n')}\n`)
    const message = await dataError(loadLabelledImages({ csv }))

    expect(message).toContain('gone.png')
    expect(message).toContain('does not exist')
    expect(message).not.toContain('path,label')
  })
})

function swap(row: string): string {
  const [path, label] = row.split(',')
  return `${label},${path}`
}
