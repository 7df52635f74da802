import { copyFile, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest'
import {
  clearImageMemoryCache,
  DEFAULT_MEMORY_CACHE_BYTES,
  decodeImages,
  setImageMemoryCacheLimit,
} from '../../src/data/index.js'
import { AblateError } from '../../src/errors.js'
import { makeTempDir, readFashionMnist } from './fashion-mnist.js'

let root: string
let grey: Uint8Array[]
/**
 * A 56x28 (wide) colour photo-like image made of two real Fashion-MNIST images, tinted per channel.
 */
let wide: Buffer

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number))
  return sum / a.length
}

function toRgb(image: Uint8Array): Uint8Array {
  return Uint8Array.from({ length: image.length * 3 }, (_, i) => image[Math.floor(i / 3)] as number)
}

beforeAll(async () => {
  root = await makeTempDir()
  grey = (await readFashionMnist(6)).images
  wide = Buffer.alloc(56 * 28 * 3)
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 56; x++) {
      const v = (grey[x < 28 ? 0 : 1] as Uint8Array)[y * 28 + (x % 28)] as number
      wide.set([v, x * 4, 255 - v], (y * 56 + x) * 3)
    }
  }
})

afterAll(() => rm(root, { recursive: true, force: true }))

beforeEach(() => clearImageMemoryCache())

async function writeGrey(name: string, index: number, format: 'png' | 'jpeg' | 'webp' | 'tiff') {
  const path = join(root, name)
  const image = sharp(grey[index] as Uint8Array, { raw: { width: 28, height: 28, channels: 1 } })
  const lossless = { webp: { lossless: true }, tiff: { compression: 'lzw' }, png: {}, jpeg: {} }
  await image.toFormat(format, lossless[format]).toFile(path)
  return path
}

describe('decodeImages: formats and colour', () => {
  test('a grey PNG decodes losslessly to R = G = B at its own size', async () => {
    const path = await writeGrey('g0.png', 0, 'png')
    const out = await decodeImages({ paths: [path], size: 28, cacheDir: null })
    expect(out.n).toBe(1)
    expect(out.pixels).toEqual(toRgb(grey[0] as Uint8Array))
  })

  test('JPEG, lossless WebP and TIFF decode to the same picture', async () => {
    const png = await decodeImages({
      paths: [await writeGrey('g1.png', 1, 'png')],
      size: 28,
      cacheDir: null,
    })
    for (const format of ['jpeg', 'webp', 'tiff'] as const) {
      const path = await writeGrey(`g1.${format}`, 1, format)
      const out = await decodeImages({ paths: [path], size: 28, cacheDir: null })
      const limit = format === 'jpeg' ? 6 : 0
      expect(meanAbsDiff(out.pixels, png.pixels)).toBeLessThanOrEqual(limit)
    }
  })

  test('16-bit grey and 16-bit RGB PNGs reduce to the same 8-bit values', async () => {
    const source = grey[2] as Uint8Array
    const deep = new Uint16Array(source.length)
    source.forEach((v, i) => {
      deep[i] = v * 257
    })
    const path16 = join(root, 'g16.png')
    await sharp(deep, { raw: { width: 28, height: 28, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toFile(path16)
    expect((await sharp(path16).metadata()).depth).toBe('ushort')
    const out = await decodeImages({ paths: [path16], size: 28, cacheDir: null })
    expect(out.pixels).toEqual(toRgb(source))

    const rgb = toRgb(source)
    const deepRgb = Uint16Array.from(rgb, (v, i) => (i % 3 === 1 ? 255 - v : v) * 257)
    const pathRgb16 = join(root, 'rgb16.png')
    await sharp(deepRgb, { raw: { width: 28, height: 28, channels: 3 } })
      .toColourspace('rgb16')
      .png()
      .toFile(pathRgb16)
    expect((await sharp(pathRgb16).metadata()).depth).toBe('ushort')
    const outRgb = await decodeImages({ paths: [pathRgb16], size: 28, cacheDir: null })
    expect(outRgb.pixels).toEqual(rgb.map((v, i) => (i % 3 === 1 ? 255 - v : v)))
  })

  test('RGBA drops alpha and keeps the colour values', async () => {
    const rgba = Buffer.alloc(56 * 28 * 4)
    for (let p = 0; p < 56 * 28; p++) {
      rgba.set(
        [wide[p * 3] as number, wide[p * 3 + 1] as number, wide[p * 3 + 2] as number, p % 256],
        p * 4,
      )
    }
    const path = join(root, 'rgba.png')
    await sharp(rgba, { raw: { width: 56, height: 28, channels: 4 } })
      .png()
      .toFile(path)
    const straight = join(root, 'rgb.png')
    await sharp(wide, { raw: { width: 56, height: 28, channels: 3 } })
      .png()
      .toFile(straight)
    const out = await decodeImages({ paths: [path, straight], size: 28, cacheDir: null })
    const [a, b] = [out.pixels.subarray(0, 28 * 28 * 3), out.pixels.subarray(28 * 28 * 3)]
    expect(meanAbsDiff(a, b)).toBeLessThan(0.01)
  })

  test('EXIF orientation is applied before resizing', async () => {
    const raw = { raw: { width: 56, height: 28, channels: 3 as const } }
    const tagged = join(root, 'tagged.jpg')
    // 4:4:4 so that chroma subsampling in two orientations does not blur the comparison.
    const jpeg = { quality: 100, chromaSubsampling: '4:4:4' }
    await sharp(wide, raw).jpeg(jpeg).withMetadata({ orientation: 6 }).toFile(tagged)
    expect((await sharp(tagged).metadata()).orientation).toBe(6)
    const turned = join(root, 'turned.jpg')
    await sharp(await sharp(wide, raw).rotate(90).png().toBuffer())
      .jpeg(jpeg)
      .toFile(turned)
    const plain = join(root, 'plain.jpg')
    await sharp(wide, raw).jpeg(jpeg).toFile(plain)

    // Size 28: one axis keeps its scale. (libvips interpolates the two axes slightly differently,
    // so an upscaled pair can differ by a few grey levels even when the orientation is right.)
    for (const resize of ['stretch', 'cover'] as const) {
      const out = await decodeImages({
        paths: [tagged, turned, plain],
        size: 28,
        resize,
        cacheDir: null,
      })
      const image = (i: number) => out.pixels.subarray(i * 28 * 28 * 3, (i + 1) * 28 * 28 * 3)
      expect(meanAbsDiff(image(0), image(1))).toBeLessThan(1)
      expect(meanAbsDiff(image(0), image(2))).toBeGreaterThan(20)
    }
  })

  test("resize modes: 'contain' pads with black, 'cover' crops, 'stretch' squeezes", async () => {
    const path = join(root, 'wide.png')
    await sharp(wide, { raw: { width: 56, height: 28, channels: 3 } })
      .png()
      .toFile(path)
    const decode = (resize: 'stretch' | 'cover' | 'contain') =>
      decodeImages({ paths: [path], size: 28, resize, cacheDir: null }).then((d) => d.pixels)
    const [stretch, cover, contain] = await Promise.all([
      decode('stretch'),
      decode('cover'),
      decode('contain'),
    ])

    const row = (pixels: Uint8Array, y: number) => pixels.subarray(y * 28 * 3, (y + 1) * 28 * 3)
    expect(Math.max(...row(contain, 0))).toBe(0)
    expect(Math.max(...row(contain, 27))).toBe(0)
    expect(Math.max(...row(contain, 14))).toBeGreaterThan(0)
    // Cover keeps the middle 28 columns at full scale: green (x * 4) runs from 14 * 4 to 41 * 4.
    const green = (pixels: Uint8Array, x: number) => pixels[(14 * 28 + x) * 3 + 1] as number
    expect(Math.abs(green(cover, 0) - 56)).toBeLessThanOrEqual(4)
    expect(Math.abs(green(stretch, 0) - 2)).toBeLessThanOrEqual(4)
    expect(meanAbsDiff(stretch, cover)).toBeGreaterThan(10)
  })
})

describe('decodeImages: caches', () => {
  test('a second decode does no sharp work: memory, then disk after the memory is cleared', async () => {
    const paths = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => writeGrey(`c${i}.png`, i, 'png')))
    const cacheDir = join(root, 'cache-a')
    const first = await decodeImages({ paths, size: 20, cacheDir })
    expect(first.stats).toEqual({ decoded: 6, memoryHits: 0, diskHits: 0 })

    const second = await decodeImages({ paths, size: 20, cacheDir })
    expect(second.stats).toEqual({ decoded: 0, memoryHits: 6, diskHits: 0 })
    expect(second.pixels).toEqual(first.pixels)

    clearImageMemoryCache()
    const third = await decodeImages({ paths, size: 20, cacheDir, concurrency: 1 })
    expect(third.stats).toEqual({ decoded: 0, memoryHits: 0, diskHits: 6 })
    expect(third.pixels).toEqual(first.pixels)
  })

  test('keys are file content, size and resize mode, not the file name', async () => {
    const path = await writeGrey('k.png', 3, 'png')
    const copy = join(root, 'k-copy.png')
    await copyFile(path, copy)
    const cacheDir = join(root, 'cache-b')
    await decodeImages({ paths: [path], size: 16, cacheDir })
    expect((await decodeImages({ paths: [copy], size: 16, cacheDir })).stats.memoryHits).toBe(1)
    expect((await decodeImages({ paths: [copy], size: 17, cacheDir })).stats.decoded).toBe(1)
    const cover = await decodeImages({ paths: [copy], size: 16, resize: 'cover', cacheDir })
    expect(cover.stats.decoded).toBe(1)
  })

  test('the same image twice in one call, or in two concurrent calls, is decoded once', async () => {
    const path = await writeGrey('twice.png', 2, 'png')
    const copy = join(root, 'twice-copy.png')
    await copyFile(path, copy)
    const once = await decodeImages({ paths: [path, copy, path], size: 10, cacheDir: null })
    expect(once.stats).toEqual({ decoded: 1, memoryHits: 2, diskHits: 0 })
    clearImageMemoryCache()
    const [a, b] = await Promise.all([
      decodeImages({ paths: [path], size: 10, cacheDir: null }),
      decodeImages({ paths: [copy], size: 10, cacheDir: null }),
    ])
    expect(a.stats.decoded + b.stats.decoded).toBe(1)
    expect(b.pixels).toEqual(a.pixels)
  })

  test('cacheDir null writes nothing; a damaged disk entry is decoded again', async () => {
    const path = await writeGrey('d.png', 4, 'png')
    const cacheDir = join(root, 'cache-c')
    await decodeImages({ paths: [path], size: 12, cacheDir: null })
    await expect(readdir(cacheDir)).rejects.toThrow()

    clearImageMemoryCache()
    const good = await decodeImages({ paths: [path], size: 12, cacheDir })
    const [shard] = await readdir(cacheDir)
    const [entry] = await readdir(join(cacheDir, shard as string))
    const entryPath = join(cacheDir, shard as string, entry as string)
    expect((await readFile(entryPath)).byteLength).toBe(12 * 12 * 3)
    await writeFile(entryPath, Buffer.alloc(10))
    clearImageMemoryCache()
    const again = await decodeImages({ paths: [path], size: 12, cacheDir })
    expect(again.stats.decoded).toBe(1)
    expect(again.pixels).toEqual(good.pixels)
  })
})

describe('decodeImages: memory cache limit', () => {
  /** Bytes of one decoded image at the size these tests use. */
  const IMAGE_BYTES = 20 * 20 * 3
  const decode = (paths: string[]) =>
    decodeImages({ paths, size: 20, cacheDir: null, concurrency: 1 }).then((out) => out.stats)

  afterEach(() => setImageMemoryCacheLimit(DEFAULT_MEMORY_CACHE_BYTES))

  test('a limit of two images evicts older ones; a large limit keeps all six', async () => {
    const paths = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => writeGrey(`l${i}.png`, i, 'png')))
    setImageMemoryCacheLimit(2 * IMAGE_BYTES)
    await decode(paths)
    // In path order each image was evicted by the two decoded after it.
    expect(await decode(paths)).toEqual({ decoded: 6, memoryHits: 0, diskHits: 0 })

    setImageMemoryCacheLimit(6 * IMAGE_BYTES)
    await decode(paths)
    expect(await decode(paths)).toEqual({ decoded: 0, memoryHits: 6, diskHits: 0 })
  })

  test('eviction is least recently used, and lowering the limit trims at once', async () => {
    const [a, b, c] = await Promise.all([0, 1, 2].map((i) => writeGrey(`r${i}.png`, i, 'png')))
    setImageMemoryCacheLimit(2 * IMAGE_BYTES)
    await decode([a!, b!])
    expect(await decode([a!])).toEqual({ decoded: 0, memoryHits: 1, diskHits: 0 })
    // a was used last, so c pushes b out.
    await decode([c!])
    expect(await decode([a!])).toEqual({ decoded: 0, memoryHits: 1, diskHits: 0 })
    expect(await decode([b!])).toEqual({ decoded: 1, memoryHits: 0, diskHits: 0 })

    setImageMemoryCacheLimit(0)
    expect(await decode([b!])).toEqual({ decoded: 1, memoryHits: 0, diskHits: 0 })
  })
})

describe('decodeImages: bad input', () => {
  test('a truncated JPEG is an error naming the file, or skipped with its index left out', async () => {
    const good = await writeGrey('t-good.png', 5, 'png')
    const full = await sharp(wide, { raw: { width: 56, height: 28, channels: 3 } })
      .jpeg()
      .toBuffer()
    const cut = join(root, 'cut.jpg')
    await writeFile(cut, full.subarray(0, Math.floor(full.length / 2)))

    const error = await decodeImages({ paths: [good, cut], size: 8, cacheDir: null }).catch(
      (e) => e,
    )
    expect(error).toBeInstanceOf(AblateError)
    expect(error.message).toContain(cut)
    const out = await decodeImages({
      paths: [cut, good],
      size: 8,
      cacheDir: null,
      skipUnreadable: true,
    })
    expect(out.n).toBe(1)
    expect([...out.kept]).toEqual([1])
    expect(out.skipped.map((s) => s.path)).toEqual([cut])
    expect(out.pixels).toHaveLength(8 * 8 * 3)
  })

  test('a bad size is an error naming the value', async () => {
    await expect(decodeImages({ paths: [], size: 0 })).rejects.toThrow(/found 0/)
    await expect(decodeImages({ paths: [], size: 2.5 })).rejects.toThrow(/2\.5/)
  })
})
