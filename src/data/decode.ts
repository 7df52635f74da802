import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import type { DataConfig } from '../train/config.js'
import {
  DEFAULT_IMAGE_CACHE_DIR,
  getFromMemory,
  imageCacheKey,
  putInMemory,
  readFromDisk,
  writeToDisk,
} from './image-cache.js'
import { DEFAULT_CONCURRENCY, mapConcurrent } from './pool.js'
import { firstLine, type SkippedImage } from './probe.js'

const log = createLogger('data:decode')

/**
 * How an image is fitted into the square: `'stretch'` scales each side independently (Keras
 * `load_img(target_size=...)`), `'cover'` scales to fill and crops the centre, `'contain'` scales
 * to fit and pads with black. The same type as `TrainConfig.data.resize`.
 */
export type ResizeMode = NonNullable<DataConfig['resize']>

/** What to decode and how. */
export interface DecodeImagesOptions {
  /** No default. Image files, in the order their pixels should appear. */
  paths: string[]
  /** No default. Side of the square output in pixels. */
  size: number
  /** Default 'stretch'. See `ResizeMode`. */
  resize?: ResizeMode
  /**
   * Default '.ablate/cache/images' (relative to the working directory); null turns the disk cache
   * off.
   */
  cacheDir?: string | null
  /** Default 4. Files read and decoded at once. */
  concurrency?: number
  /**
   * Default false. Leave out files that fail to decode (listed in `skipped`) instead of throwing.
   */
  skipUnreadable?: boolean
}

/** Where each image came from in one `decodeImages` call. */
export interface DecodeStats {
  /** Images decoded by sharp. */
  decoded: number
  /** Images found in memory, or already being decoded by another request of this process. */
  memoryHits: number
  diskHits: number
}

/**
 * Decoded images: `pixels` holds n*size*size*3 bytes, RGB, row-major NHWC. `kept[i]` is the index
 * in `paths` of image i (all of them unless `skipUnreadable` left some out).
 */
export interface DecodedImages {
  pixels: Uint8Array
  n: number
  size: number
  kept: Int32Array
  skipped: SkippedImage[]
  stats: DecodeStats
}

/**
 * Decodes images to size x size RGB bytes with sharp: EXIF orientation applied, grey expanded to
 * RGB, 16-bit reduced to 8-bit, alpha dropped (as PIL's `convert('RGB')` and so Keras do). Results
 * are cached in memory and on disk under a key of file content, size and resize mode, so a second
 * call decodes nothing.
 */
export async function decodeImages(options: DecodeImagesOptions): Promise<DecodedImages> {
  const resolved = resolveDecodeOptions(options)
  const stats: DecodeStats = { decoded: 0, memoryHits: 0, diskHits: 0 }

  const results = await mapConcurrent({
    items: options.paths,
    concurrency: resolved.concurrency,
    work: (path) => loadOne({ path, options: resolved, stats }),
  })

  return assemble({ results, paths: options.paths, options: resolved, stats })
}

type ResolvedDecodeOptions = Required<Omit<DecodeImagesOptions, 'paths' | 'cacheDir'>> & {
  cacheDir: string | null
}

function resolveDecodeOptions(options: DecodeImagesOptions): ResolvedDecodeOptions {
  const { size } = options
  if (!Number.isInteger(size) || size < 1) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected the image size to be a positive integer, found ${size}. Use e.g. 224.`,
    )
  }
  const cacheDir = options.cacheDir === undefined ? DEFAULT_IMAGE_CACHE_DIR : options.cacheDir
  return {
    size,
    resize: options.resize ?? 'stretch',
    cacheDir: cacheDir === null ? null : resolve(cacheDir),
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    skipUnreadable: options.skipUnreadable ?? false,
  }
}

type LoadResult = { state: 'ok'; pixels: Uint8Array } | { state: 'unreadable'; reason: string }

/** Decodes in flight, by cache key: a second request for the same image waits for the first. */
const pending = new Map<string, Promise<LoadResult>>()

async function loadOne(args: {
  path: string
  options: ResolvedDecodeOptions
  stats: DecodeStats
}): Promise<LoadResult> {
  const { path, options, stats } = args
  const content = await readFile(path).catch(() => undefined)
  if (content === undefined) return { state: 'unreadable', reason: 'the file cannot be read' }
  const key = imageCacheKey({ content, size: options.size, resize: options.resize })

  const inMemory = getFromMemory(key)
  const inFlight = pending.get(key)
  if (inMemory || inFlight) {
    stats.memoryHits++
    return inMemory ? { state: 'ok', pixels: inMemory } : (inFlight as Promise<LoadResult>)
  }

  const loading = loadUncached({ content, key, options, stats })
  pending.set(key, loading)
  try {
    return await loading
  } finally {
    pending.delete(key)
  }
}

async function loadUncached(args: {
  content: Uint8Array
  key: string
  options: ResolvedDecodeOptions
  stats: DecodeStats
}): Promise<LoadResult> {
  const { content, key, options, stats } = args
  const bytes = options.size * options.size * 3
  const onDisk = options.cacheDir
    ? await readFromDisk({ dir: options.cacheDir, key, bytes })
    : undefined
  if (onDisk) {
    stats.diskHits++
    putInMemory(key, onDisk)
    return { state: 'ok', pixels: onDisk }
  }

  const decoded = await decodeOne({ content, size: options.size, resize: options.resize })
  if (decoded.state === 'unreadable') return decoded
  stats.decoded++
  putInMemory(key, decoded.pixels)
  if (options.cacheDir) await writeToDisk({ dir: options.cacheDir, key, pixels: decoded.pixels })
  return decoded
}

const FIT: Record<ResizeMode, 'fill' | 'cover' | 'contain'> = {
  stretch: 'fill',
  cover: 'cover',
  contain: 'contain',
}

/**
 * Decodes one file's bytes with sharp; never throws, so the caller decides between skip and error.
 */
export async function decodeOne(args: {
  content: Uint8Array
  size: number
  resize: ResizeMode
}): Promise<LoadResult> {
  try {
    const image = await openWithoutAlpha(args.content)
    const { data, info } = await image
      .toColourspace('srgb')
      .resize(args.size, args.size, { fit: FIT[args.resize], background: { r: 0, g: 0, b: 0 } })
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true })
    if (info.channels !== 3 || info.width !== args.size || info.height !== args.size) {
      return {
        state: 'unreadable',
        reason: `decoded to ${info.width}x${info.height}x${info.channels}`,
      }
    }
    return { state: 'ok', pixels: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    return { state: 'unreadable', reason: firstLine(message) }
  }
}

// failOn 'truncated': a cut-off file fails, a harmless libjpeg warning does not.
const OPEN = { failOn: 'truncated', autoOrient: true } as const

/**
 * Opens the file oriented by EXIF. sharp resizes images with alpha premultiplied, which would
 * darken colours under transparent pixels; alpha is therefore dropped in a first full-size pass, so
 * the result is what resizing the RGB channels alone gives (PIL's convert('RGB'), as Keras loads
 * images).
 */
async function openWithoutAlpha(content: Uint8Array): Promise<Sharp> {
  const { hasAlpha } = await sharp(content, OPEN).metadata()
  if (!hasAlpha) return sharp(content, OPEN)
  const { data, info } = await sharp(content, OPEN)
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
}

function assemble(args: {
  results: LoadResult[]
  paths: string[]
  options: ResolvedDecodeOptions
  stats: DecodeStats
}): DecodedImages {
  const { results, paths, options, stats } = args
  const kept: number[] = []
  const skipped: SkippedImage[] = []
  results.forEach((result, i) => {
    if (result.state === 'ok') kept.push(i)
    else if (options.skipUnreadable)
      skipped.push({ path: paths[i] as string, reason: result.reason })
    else throw decodeError(paths[i] as string, result.reason)
  })

  const bytes = options.size * options.size * 3
  const pixels = new Uint8Array(kept.length * bytes)
  kept.forEach((pathIndex, i) => {
    pixels.set((results[pathIndex] as { pixels: Uint8Array }).pixels, i * bytes)
  })
  log(
    '%d images: %d decoded, %d from memory, %d from disk',
    kept.length,
    stats.decoded,
    stats.memoryHits,
    stats.diskHits,
  )
  return { pixels, n: kept.length, size: options.size, kept: Int32Array.from(kept), skipped, stats }
}

function decodeError(path: string, reason: string): AblateError {
  return new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected ${path} to decode as an image, found: ${reason}. Replace or remove the file, or set ` +
      'data.skipUnreadable: true to leave unreadable images out (they are listed in `skipped`).',
  )
}
