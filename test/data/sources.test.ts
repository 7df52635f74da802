import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { listUnlabelledImages, loadLabelledImages } from '../../src/data/index.js'
import { dataError } from './data-error.js'
import { makeTempDir, writeClassFolders } from './fashion-mnist.js'

let root: string
let folder: string

beforeAll(async () => {
  root = await makeTempDir()
  folder = await writeClassFolders({
    dir: join(root, 'three'),
    perClass: { tshirt: 8, pullover: 4, shirt: 2 },
  })
  // Not images, or hidden: ignored. A nested folder inside a class: searched.
  await writeFile(join(folder, 'tshirt', 'README.txt'), 'notes')
  await copyFile(join(folder, 'tshirt', '000.png'), join(folder, 'tshirt', '.hidden.png'))
  await mkdir(join(folder, 'shirt', 'more'))
  await copyFile(join(folder, 'shirt', '000.png'), join(folder, 'shirt', 'more', 'extra.PNG'))
})

afterAll(() => rm(root, { recursive: true, force: true }))

async function expectDataError(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  expect(await dataError(promise)).toMatch(pattern)
}

describe('loadLabelledImages from class folders', () => {
  test('classes sorted by name, images sorted, nested files found, others ignored', async () => {
    const data = await loadLabelledImages({ dir: folder })
    expect(data.classNames).toEqual(['pullover', 'shirt', 'tshirt'])
    expect(data.items.map((i) => i.label)).toEqual([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2])
    expect(data.items[4]?.path).toBe(join(folder, 'shirt', '000.png'))
    expect(data.items[6]?.path).toBe(join(folder, 'shirt', 'more', 'extra.PNG'))
    expect(data.skipped).toEqual([])
  })

  test('a corrupt image is an error naming the file, or a counted skip when opted in', async () => {
    const dir = await writeClassFolders({
      dir: join(root, 'corrupt'),
      perClass: { tshirt: 3, shirt: 3 },
    })
    const bad = join(dir, 'shirt', 'broken.png')
    await writeFile(bad, Buffer.from('this is not a PNG at all'))
    await writeFile(join(dir, 'tshirt', 'empty.jpg'), Buffer.alloc(0))

    await expectDataError(loadLabelledImages({ dir }), /broken\.png.*skipUnreadable/s)
    const data = await loadLabelledImages({ dir, skipUnreadable: true })
    expect(data.items).toHaveLength(6)
    expect(data.skipped.map((s) => s.path).sort()).toEqual([bad, join(dir, 'tshirt', 'empty.jpg')])
    expect(data.skipped.find((s) => s.path === bad)?.reason).toMatch(/unsupported image format/)

    const listedOnly = await loadLabelledImages({ dir, probe: false })
    expect(listedOnly.items.map((i) => i.path)).toContain(bad)
    expect(listedOnly.items).toHaveLength(8)
    expect(listedOnly.skipped).toEqual([])
  })

  test('an empty class folder is an error naming the folder', async () => {
    const dir = await writeClassFolders({ dir: join(root, 'empty-class'), perClass: { tshirt: 2 } })
    await mkdir(join(dir, 'ghost'))
    await writeFile(join(dir, 'ghost', 'notes.txt'), 'no images here')
    await expectDataError(loadLabelledImages({ dir }), /'ghost'.*empty-class\/ghost/)
  })

  test('a class left empty by skipping is an error naming the class', async () => {
    const dir = await writeClassFolders({ dir: join(root, 'all-bad'), perClass: { tshirt: 2 } })
    await mkdir(join(dir, 'bad'))
    await writeFile(join(dir, 'bad', 'x.png'), 'junk')
    await expectDataError(loadLabelledImages({ dir, skipUnreadable: true }), /none for 'bad'/)
  })

  test('a folder without class subfolders, or both/neither sources, are errors', async () => {
    await expectDataError(
      loadLabelledImages({ dir: join(folder, 'shirt', 'more') }),
      /one subfolder per class/,
    )
    await expectDataError(loadLabelledImages({ dir: join(root, 'nope') }), /nope/)
    await expectDataError(loadLabelledImages({ dir: folder, csv: 'x.csv' }), /found both/)
    await expectDataError(loadLabelledImages({}), /found neither/)
  })
})

describe('loadLabelledImages from a CSV', () => {
  test('header in any column order, quoted paths, relative paths against the CSV folder', async () => {
    const dir = join(root, 'csv1')
    await mkdir(join(dir, 'imgs'), { recursive: true })
    await copyFile(join(folder, 'tshirt', '000.png'), join(dir, 'imgs', 'a, comma.png'))
    await copyFile(join(folder, 'shirt', '000.png'), join(dir, 'imgs', 'b.png'))
    const csv = join(dir, 'labels.csv')
    const absolute = join(folder, 'pullover', '001.png')
    await writeFile(
      csv,
      `label,path\r\ntop,"imgs/a, comma.png"\r\nshirt,imgs/b.png\r\n\r\ntop,${absolute}\r\n`,
    )

    const data = await loadLabelledImages({ csv })
    expect(data.classNames).toEqual(['shirt', 'top'])
    expect(data.items).toEqual([
      { path: join(dir, 'imgs', 'a, comma.png'), label: 1 },
      { path: join(dir, 'imgs', 'b.png'), label: 0 },
      { path: absolute, label: 1 },
    ])
  })

  test('without a header, column 1 is the path; classNames fixes the order', async () => {
    const csv = join(root, 'noheader.csv')
    await writeFile(csv, `${folder}/tshirt/000.png,tshirt\n${folder}/shirt/000.png,shirt\n`)
    const data = await loadLabelledImages({ csv, classNames: ['tshirt', 'shirt'] })
    expect(data.items.map((i) => i.label)).toEqual([0, 1])
    expect(data.classNames).toEqual(['tshirt', 'shirt'])
    // A listed class without any image cannot be trained or validated.
    await expectDataError(
      loadLabelledImages({ csv, classNames: ['tshirt', 'shirt', 'coat'] }),
      /'coat'/,
    )
  })

  test('digit labels sort numerically, so label n is class n', async () => {
    const csv = join(root, 'digits.csv')
    const rows = ['10', '2', '0', '1', '2', '10'].map(
      (label, i) => `${folder}/tshirt/00${i}.png,${label}`,
    )
    await writeFile(csv, `${rows.join('\n')}\n`)
    const data = await loadLabelledImages({ csv })
    expect(data.classNames).toEqual(['0', '1', '2', '10'])
    expect(data.items.map((i) => i.label)).toEqual([3, 2, 0, 1, 2, 3])
  })

  test('a missing file names the CSV line and row; skipUnreadable counts it', async () => {
    const csv = join(root, 'missing.csv')
    await writeFile(
      csv,
      `path,label\n${folder}/tshirt/000.png,a\n${folder}/shirt/000.png,b\nnot-here.png,a\n`,
    )
    await expectDataError(loadLabelledImages({ csv }), /not-here\.png.*line 4 \(data row 3\)/)
    const data = await loadLabelledImages({ csv, skipUnreadable: true })
    expect(data.items).toHaveLength(2)
    expect(data.skipped).toEqual([
      { path: join(root, 'not-here.png'), reason: 'the file does not exist' },
    ])
  })

  test('an unknown label names the line, the label and the known classes', async () => {
    const csv = join(root, 'unknown.csv')
    await writeFile(
      csv,
      `path,label\n${folder}/tshirt/000.png,tshirt\n${folder}/shirt/000.png,shrit\n`,
    )
    await expectDataError(
      loadLabelledImages({ csv, classNames: ['tshirt', 'shirt'] }),
      /\["tshirt","shirt"\].*line 3.*'shrit'/,
    )
  })

  test('a row without a label, an empty CSV and an unclosed quote are errors naming the line', async () => {
    const csv = join(root, 'short.csv')
    await writeFile(csv, `${folder}/tshirt/000.png,tshirt\n${folder}/shirt/000.png\n`)
    await expectDataError(loadLabelledImages({ csv }), /line 2 \(data row 2\)/)
    await writeFile(csv, 'path,label\n')
    await expectDataError(loadLabelledImages({ csv }), /at least one path,label row/)
    await writeFile(csv, 'path,label\n"a.png,cat\n')
    await expectDataError(loadLabelledImages({ csv }), /short\.csv.*line 2/)
  })
})

describe('listUnlabelledImages', () => {
  test('lists images recursively, sorted, and skips unreadable ones when asked', async () => {
    const dir = join(root, 'predict')
    await mkdir(join(dir, 'sub'), { recursive: true })
    await copyFile(join(folder, 'tshirt', '001.png'), join(dir, 'b.png'))
    await copyFile(join(folder, 'tshirt', '002.png'), join(dir, 'sub', 'a.png'))
    await writeFile(join(dir, 'c.jpg'), 'not a jpeg')
    await expectDataError(listUnlabelledImages({ dir }), /c\.jpg/)
    const listed = await listUnlabelledImages({ dir, skipUnreadable: true })
    expect(listed.paths).toEqual([join(dir, 'b.png'), join(dir, 'sub', 'a.png')])
    expect(listed.skipped.map((s) => s.path)).toEqual([join(dir, 'c.jpg')])
  })
})
