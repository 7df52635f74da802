/**
 * Builds fixtures/fashion3: Fashion-MNIST's three most-confused classes (T-shirt/top, Pullover, Shirt),
 * unbalanced 4:2:1, as 28x28 RGB PNG files in one folder per class. Deterministic: the first images of
 * each class in the training file's order, so a rebuild gives the same files.
 *
 *   npx tsx scripts/make-fixtures.ts [--out fixtures/fashion3]
 */
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import {
  type FashionMnistPart,
  firstOfClass,
  imageAt,
  readFashionMnist,
} from '../fixtures/fashion-mnist.js'

/** One class of the fixture: its Fashion-MNIST label, folder name and image count. */
export interface FixtureClass {
  label: number
  folder: string
  count: number
}

/** The fine-tuning set: 4:2:1, 420 images, sized for the default bench's time goal. */
export const FASHION3_CLASSES: readonly FixtureClass[] = [
  { label: 0, folder: 'tshirt-top', count: 240 },
  { label: 2, folder: 'pullover', count: 120 },
  { label: 6, folder: 'shirt', count: 60 },
]

/** Writes every class folder under `outDir` (replacing what was there); returns the counts. */
export async function makeFashion3(args: { outDir: string }): Promise<Record<string, number>> {
  const train = await readFashionMnist({ part: 'train' })
  await rm(args.outDir, { recursive: true, force: true })

  const counts: Record<string, number> = {}
  for (const cls of FASHION3_CLASSES) {
    const indices = firstOfClass({ labels: train.labels, label: cls.label, count: cls.count })
    await writeClass({ part: train, indices, dir: join(args.outDir, cls.folder) })
    counts[cls.folder] = indices.length
  }
  return counts
}

async function writeClass(args: { part: FashionMnistPart; indices: number[]; dir: string }) {
  await mkdir(args.dir, { recursive: true })
  for (const index of args.indices) {
    const name = `train-${String(index).padStart(5, '0')}.png`
    const grey = imageAt(args.part, index)
    await writeGreyAsRgbPng({
      grey,
      width: args.part.cols,
      height: args.part.rows,
      path: join(args.dir, name),
    })
  }
}

/** Writes grey pixels as an RGB PNG (grey copied into R, G, B): loaders then see ordinary RGB files. */
export async function writeGreyAsRgbPng(args: {
  grey: Uint8Array
  width: number
  height: number
  path: string
}): Promise<void> {
  const rgb = new Uint8Array(args.grey.length * 3)
  for (let i = 0; i < args.grey.length; i++) rgb.fill(args.grey[i] ?? 0, i * 3, i * 3 + 3)
  await sharp(rgb, { raw: { width: args.width, height: args.height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toFile(args.path)
}

function parseOutDir(argv: string[]): string {
  const at = argv.indexOf('--out')
  return at >= 0 && argv[at + 1] ? argv[at + 1]! : 'fixtures/fashion3'
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = parseOutDir(process.argv.slice(2))
  const counts = await makeFashion3({ outDir })
  console.log(`wrote ${outDir}:`, counts)
}
