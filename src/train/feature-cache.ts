import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { createLogger } from '../log.js'

const log = createLogger('train:feature-cache')

/** Backbone features of every image of a data set, row `i` belonging to image `i`. */
export interface FeatureTable {
  /** Number of images (rows). */
  n: number
  /** Shape of one image's features, e.g. `[1280]` or `[4, 4, 256]`. */
  shape: number[]
  /** `n * product(shape)` values, row-major. */
  values: Float32Array
}

/** Where a cached table is kept: this process only, or also on disk under `dir`. */
export type FeatureCacheLocation = { kind: 'memory' } | { kind: 'disk'; dir: string }

const MAGIC = 0x464c4241 // 'ABLF' little-endian
const FORMAT_VERSION = 1
// Shortcoming: neither memory nor disk has a size bound; tables stay until `clearFeatureMemory`, the
// process ends or someone deletes the folder. Fine for pooled features (2,048 floats per image for
// ResNet50); add an LRU limit like src/data's image cache when `lastStages` studies on large sets need it.
const memory = new Map<string, FeatureTable>()

/** Looks a table up in memory, then on disk when allowed; `null` on a miss or an unreadable file. */
export async function readFeatureTable(args: {
  key: string
  location: FeatureCacheLocation
}): Promise<{ table: FeatureTable; from: 'memory' | 'disk' } | null> {
  const inMemory = memory.get(args.key)
  if (inMemory) return { table: inMemory, from: 'memory' }
  if (args.location.kind === 'memory') return null

  const table = await readTableFile(featurePath(args.location.dir, args.key))
  if (table === null) return null
  memory.set(args.key, table)
  return { table, from: 'disk' }
}

/** Keeps a table in memory and, for a disk location, writes it atomically (`writeFileAtomic`). */
export async function writeFeatureTable(args: {
  key: string
  table: FeatureTable
  location: FeatureCacheLocation
}): Promise<void> {
  memory.set(args.key, args.table)
  if (args.location.kind === 'memory') return

  const path = featurePath(args.location.dir, args.key)
  await writeFileAtomic({ path, data: encodeTable(args.table) })
}

/** Forgets every table held in this process's memory (files on disk stay). */
export function clearFeatureMemory(): void {
  memory.clear()
}

/** The file of one key under a cache folder. */
export function featurePath(dir: string, key: string): string {
  return join(dir, `${key}.bin`)
}

// Layout: uint32 magic, version, n, rank, then rank dims, then float32 values; all little-endian.
// Written by hand: no library stores a float32 matrix with its shape more simply than this.
function encodeTable(table: FeatureTable): Buffer {
  const header = new Uint32Array([
    MAGIC,
    FORMAT_VERSION,
    table.n,
    table.shape.length,
    ...table.shape,
  ])
  const body = Buffer.from(table.values.buffer, table.values.byteOffset, table.values.byteLength)
  return Buffer.concat([Buffer.from(header.buffer), body])
}

async function readTableFile(path: string): Promise<FeatureTable | null> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch {
    return null
  }

  const table = decodeTable(bytes)
  if (table === null) log('ignoring unreadable feature cache file %s', path)
  return table
}

function decodeTable(bytes: Buffer): FeatureTable | null {
  if (bytes.byteLength < 16) return null
  const word = (i: number) => bytes.readUInt32LE(i * 4)
  const rank = word(3)
  if (word(0) !== MAGIC || word(1) !== FORMAT_VERSION || bytes.byteLength < (4 + rank) * 4) {
    return null
  }

  const n = word(2)
  const shape = Array.from({ length: rank }, (_, i) => word(4 + i))
  const count = n * shape.reduce((a, b) => a * b, 1)
  const offset = (4 + rank) * 4
  if (bytes.byteLength !== offset + count * 4) return null
  // Copy: a Buffer's byteOffset need not be a multiple of 4, which a Float32Array view requires.
  const values = new Float32Array(count)
  new Uint8Array(values.buffer).set(bytes.subarray(offset))
  return { n, shape, values }
}
