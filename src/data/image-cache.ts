import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { createLogger } from '../log.js'

const log = createLogger('data:cache')

/** Bumped when decoding changes what a key's bytes mean, so old disk entries are never read. */
const CACHE_FORMAT = 'rgb8-v1'

/**
 * Default disk cache folder, relative to the working directory. Known shortcoming: the disk cache
 * is never trimmed (each entry is size*size*3 bytes, 150 KB at 224); delete the folder to reclaim
 * space. The mark can go when entries are evicted by age or total size.
 */
export const DEFAULT_IMAGE_CACHE_DIR = '.ablate/cache/images'

/** Default memory budget of decoded images: 1 GiB (about 6,800 images at 224x224). */
export const DEFAULT_MEMORY_CACHE_BYTES = 1024 ** 3

/** The identity of one decoded image: its file's bytes, the side length and the resize mode. */
export function imageCacheKey(args: { content: Uint8Array; size: number; resize: string }): string {
  return createHash('sha256')
    .update(args.content)
    .update(`|${args.size}|${args.resize}|${CACHE_FORMAT}`)
    .digest('hex')
}

/** Least-recently-used decoded images in this process, bounded in bytes. */
const memory = new Map<string, Uint8Array>()
let memoryBytes = 0
let memoryLimitBytes = DEFAULT_MEMORY_CACHE_BYTES

/** Looks a key up in memory, refreshing its place in the LRU order. */
export function getFromMemory(key: string): Uint8Array | undefined {
  const pixels = memory.get(key)
  if (pixels === undefined) return undefined
  memory.delete(key)
  memory.set(key, pixels)
  return pixels
}

/** Stores decoded pixels in memory, evicting the least recently used beyond the limit. */
export function putInMemory(key: string, pixels: Uint8Array): void {
  if (memory.has(key)) return
  memory.set(key, pixels)
  memoryBytes += pixels.byteLength
  trimMemory()
}

/** Empties the in-process image cache (the disk cache stays). */
export function clearImageMemoryCache(): void {
  memory.clear()
  memoryBytes = 0
}

/** Sets the in-process cache budget in bytes (default 1 GiB); 0 turns memory caching off. */
export function setImageMemoryCacheLimit(bytes: number): void {
  memoryLimitBytes = Math.max(0, bytes)
  trimMemory()
}

function trimMemory(): void {
  for (const [key, old] of memory) {
    if (memoryBytes <= memoryLimitBytes) break
    memory.delete(key)
    memoryBytes -= old.byteLength
  }
}

/** Reads a disk entry; a missing file or one of the wrong length counts as absent. */
export async function readFromDisk(args: {
  dir: string
  key: string
  bytes: number
}): Promise<Uint8Array | undefined> {
  const data = await readFile(entryPath(args.dir, args.key)).catch(() => undefined)
  if (data === undefined) return undefined
  if (data.byteLength !== args.bytes) {
    log('ignoring disk entry %s: %d bytes, expected %d', args.key, data.byteLength, args.bytes)
    return undefined
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * Writes a disk entry atomically (temporary file, then rename), so readers never see half a file.
 */
export async function writeToDisk(args: { dir: string; key: string; pixels: Uint8Array }) {
  await writeFileAtomic({ path: entryPath(args.dir, args.key), data: args.pixels })
}

function entryPath(dir: string, key: string): string {
  return join(dir, key.slice(0, 2), `${key}.rgb`)
}
