import { createHash } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
// Light modules only: the harness fingerprints every run, cached or not, and must not load tfjs for it.
import { loadLabelledImages } from '../data/sources.js'
import { md5OfFile } from '../models/file-md5.js'
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

/** Hash of the listed data files' names, labels, sizes and mtimes (headers are not probed). */
export async function fingerprintData(config: ResolvedTrainConfig): Promise<string> {
  const { dir, csv, skipUnreadable } = config.data
  const listed = await loadLabelledImages({
    ...(dir === null ? {} : { dir }),
    ...(csv === null ? {} : { csv }),
    skipUnreadable,
    probe: false,
  })
  const root = dir === null ? dirname(resolve(csv ?? '.')) : resolve(dir)

  // A missing file is part of the identity (the run may skip it), not an error of its own.
  const infos = await Promise.all(listed.items.map((item) => stat(item.path).catch(() => null)))
  const rows = listed.items.map((item, i) => {
    const info = infos[i]
    const identity = info ? [info.size, info.mtimeMs] : ['missing']
    return [relative(root, item.path), item.label, ...identity]
  })
  return createHash('sha256')
    .update(JSON.stringify([listed.classNames, rows]))
    .digest('hex')
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
