/**
 * Test helpers: real Fashion-MNIST images, read from the committed fixture folder
 * (`fixtures/fashion3/`, MIT, see fixtures/README.md), so the tests need no apt package.
 */

import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'

const FIXTURE_DIR = new URL('../../fixtures/fashion3/', import.meta.url).pathname

/** The fixture's classes: helper name -> folder under fixtures/fashion3/. */
const CLASS_FOLDERS: Record<string, string> = {
  tshirt: 'tshirt-top',
  pullover: 'pullover',
  shirt: 'shirt',
}

/** The helper's class names, in label order. */
export const FASHION_CLASSES = Object.keys(CLASS_FOLDERS)

/** The fixture's files of one class, sorted by name (the Fashion-MNIST index). */
async function classFiles(name: string): Promise<string[]> {
  const folder = CLASS_FOLDERS[name]
  if (folder === undefined) throw new Error(`no fixture class '${name}': use ${FASHION_CLASSES}`)
  const files = (await readdir(join(FIXTURE_DIR, folder))).filter((f) => f.endsWith('.png')).sort()
  return files.map((f) => join(FIXTURE_DIR, folder, f))
}

/**
 * The first `count` images (28x28 grey bytes) and labels, taken round-robin over the classes so
 * that any prefix mixes them.
 */
export async function readFashionMnist(
  count: number,
): Promise<{ images: Uint8Array[]; labels: number[] }> {
  const perClass = await Promise.all(FASHION_CLASSES.map(classFiles))
  const picks: { path: string; label: number }[] = []
  for (let i = 0; picks.length < count && i < (perClass[0]?.length ?? 0); i++) {
    for (const [label, files] of perClass.entries()) {
      const path = files[i]
      if (path !== undefined && picks.length < count) picks.push({ path, label })
    }
  }

  const images = await Promise.all(picks.map(({ path }) => decodeGrey(path)))
  return { images, labels: picks.map(({ label }) => label) }
}

/** One fixture PNG as 28x28 single-channel bytes (the fixture stores grey copied into RGB). */
async function decodeGrey(path: string): Promise<Uint8Array> {
  const { data, info } = await sharp(path)
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true })
  if (info.width !== 28 || info.height !== 28) throw new Error(`${path}: expected 28x28`)
  return new Uint8Array(data)
}

/** A fresh temporary folder. */
export function makeTempDir(prefix = 'ablate-data-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/**
 * Copies the first `perClass[name]` fixture PNGs of each named class into `<dir>/<name>/`.
 * Returns the folder.
 */
export async function writeClassFolders(args: {
  dir: string
  perClass: Record<string, number>
}): Promise<string> {
  for (const [name, count] of Object.entries(args.perClass)) {
    const files = (await classFiles(name)).slice(0, count)
    await mkdir(join(args.dir, name), { recursive: true })
    for (const [k, path] of files.entries()) {
      await copyFile(path, join(args.dir, name, `${String(k).padStart(3, '0')}.png`))
    }
  }
  return args.dir
}
