/**
 * Test helpers: real Fashion-MNIST images (Debian's dataset-fashion-mnist, MIT) read from the idx
 * files and written with sharp into temporary class folders.
 */

import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import sharp from 'sharp'

const ROOT = '/usr/share/datasets/fashion-mnist'

/** Fashion-MNIST class names by index. */
export const FASHION_CLASSES = [
  'tshirt',
  'trouser',
  'pullover',
  'dress',
  'coat',
  'sandal',
  'shirt',
  'sneaker',
  'bag',
  'boot',
]

/** The first `count` test-set images (28x28 grey bytes) and labels. */
export function readFashionMnist(count: number): { images: Uint8Array[]; labels: number[] } {
  const images = gunzipSync(readFileSync(join(ROOT, 't10k-images-idx3-ubyte.gz')))
  const labels = gunzipSync(readFileSync(join(ROOT, 't10k-labels-idx1-ubyte.gz')))
  // idx: big-endian magic 2051 (images) / 2049 (labels), then dimensions, then bytes.
  if (images.readUInt32BE(0) !== 2051 || labels.readUInt32BE(0) !== 2049) throw new Error('not idx')
  const n = Math.min(count, images.readUInt32BE(4))
  return {
    images: Array.from({ length: n }, (_, i) => images.subarray(16 + i * 784, 16 + (i + 1) * 784)),
    labels: Array.from({ length: n }, (_, i) => labels[8 + i] as number),
  }
}

/** Encodes one 28x28 grey image as PNG. */
export function greyPng(image: Uint8Array): Promise<Buffer> {
  return sharp(image, { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer()
}

/** A fresh temporary folder. */
export function makeTempDir(prefix = 'ablate-data-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix))
}

/**
 * Writes `perClass[name]` PNG images of each named Fashion-MNIST class into `<dir>/<name>/`,
 * taken in order from the test set. Returns the folder.
 */
export async function writeClassFolders(args: {
  dir: string
  perClass: Record<string, number>
}): Promise<string> {
  const { images, labels } = readFashionMnist(2000)
  for (const [name, count] of Object.entries(args.perClass)) {
    const label = FASHION_CLASSES.indexOf(name)
    await mkdir(join(args.dir, name), { recursive: true })
    const picks = labels.flatMap((l, i) => (l === label ? [i] : [])).slice(0, count)
    for (const [k, i] of picks.entries()) {
      const png = await greyPng(images[i] as Uint8Array)
      await sharp(png).toFile(join(args.dir, name, `${String(k).padStart(3, '0')}.png`))
    }
  }
  return args.dir
}
