import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import { loadLabelledImages } from '../data/index.js'
import { md5OfFile } from '../models/index.js'
import type { TrainConfig } from './config.js'
import { type ResolvedTrainConfig, resolveTrainConfig } from './resolved-config.js'

const weightDigests = new Map<string, Promise<string>>()

/**
 * Identity of what a config trains on, for the run store's key: every data file's name (relative to
 * the data folder or CSV), label, size and mtime, and the weights' identity (`random`, the published
 * ImageNet file of the architecture, or the md5 of a given .h5 file). Hyperparameters are not in it:
 * the harness keys those itself.
 */
export async function fingerprintTrainConfig(config: TrainConfig): Promise<string> {
  const resolved = resolveTrainConfig(config)
  const [data, weights] = await Promise.all([fingerprintData(resolved), identifyWeights(resolved)])
  return createHash('sha256').update(JSON.stringify({ data, weights })).digest('hex')
}

/** Hash of the listed data files' names, labels, sizes and mtimes. */
export async function fingerprintData(config: ResolvedTrainConfig): Promise<string> {
  const { dir, csv, skipUnreadable } = config.data
  const listed = await loadLabelledImages({
    ...(dir === null ? {} : { dir }),
    ...(csv === null ? {} : { csv }),
    skipUnreadable,
  })
  const root = dir === null ? dirname(resolve(csv ?? '.')) : resolve(dir)

  const hash = createHash('sha256').update(JSON.stringify(listed.classNames))
  for (const item of listed.items) {
    const { size, mtimeMs } = await stat(item.path)
    hash.update(JSON.stringify([relative(root, item.path), item.label, size, mtimeMs]))
  }
  return hash.digest('hex')
}

async function identifyWeights(config: ResolvedTrainConfig): Promise<string> {
  const { weights, architecture } = config
  if (weights === null) return 'random'
  // Keras publishes one file per architecture and checks it by md5, so the name identifies it.
  if (weights === 'imagenet') return `imagenet:${architecture}`

  const { size, mtimeMs } = await stat(weights)
  const key = `${resolve(weights)}:${size}:${mtimeMs}`
  let digest = weightDigests.get(key)
  if (digest === undefined) {
    digest = md5OfFile(weights)
    weightDigests.set(key, digest)
  }
  return `md5:${await digest}`
}
