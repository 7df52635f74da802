import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
// Light modules only: the harness fingerprints every run, cached or not, and must not load tfjs for it.
import { mapConcurrent } from '../data/pool.js'
import { listUnlabelledImages, loadLabelledImages } from '../data/sources.js'
import { md5OfFileOnce } from '../models/known-md5.js'
import type { TrainConfig } from './config.js'
import { type ResolvedTrainConfig, resolveTrainConfig } from './resolved-config.js'

/** Content hash per `path:size:mtime`, so one process reads each file once. */
const fileDigests = new Map<string, Promise<string>>()

/** Files hashed at once: reading is I/O bound, hashing a small image takes microseconds. */
const HASH_CONCURRENCY = 16

/**
 * Identity of what a config trains on, for the run store's key: every data file's name (relative to
 * the data folder or CSV), label and content hash, the weights' identity (`random`, the published
 * ImageNet file of the architecture, or the md5 of a given .h5 file) and, with `data.predictDir`,
 * the names and contents of the images to predict. Hyperparameters are not in it: the harness keys
 * those itself. Content, not mtimes: a fresh clone, a copied folder or a CI cache restore keeps the
 * keys, so a stored run is found again wherever the files are the same.
 */
export async function fingerprintTrainConfig(config: TrainConfig): Promise<string> {
  const resolved = resolveTrainConfig(config)
  const [data, weights, predict] = await Promise.all([
    fingerprintData(resolved),
    identifyWeights(resolved),
    fingerprintPredictDir(resolved),
  ])
  // Without a predict folder `predict` is undefined and left out: keys stored before it existed hold.
  return createHash('sha256').update(JSON.stringify({ data, weights, predict })).digest('hex')
}

/**
 * Hash of the listed data files' names, labels and contents (headers are not probed). Every file is
 * read once per process (about 1 s per GB on a local disk); a missing file counts as `missing`.
 */
export async function fingerprintData(config: ResolvedTrainConfig): Promise<string> {
  const { dir, csv, skipUnreadable } = config.data
  const listed = await loadLabelledImages({
    ...(dir === null ? {} : { dir }),
    ...(csv === null ? {} : { csv }),
    skipUnreadable,
    probe: false,
  })
  const root = dir === null ? dirname(resolve(csv ?? '.')) : resolve(dir)

  const digests = await mapConcurrent({
    items: listed.items,
    concurrency: HASH_CONCURRENCY,
    work: (item) => digestFile(item.path),
  })
  const rows = listed.items.map((item, i) => [relative(root, item.path), item.label, digests[i]])
  return createHash('sha256')
    .update(JSON.stringify([listed.classNames, rows]))
    .digest('hex')
}

/**
 * Hash of the names (relative to the folder) and contents of `data.predictDir`'s images, or
 * undefined without one. Headers are not probed: an unreadable file counts by its bytes.
 */
async function fingerprintPredictDir(config: ResolvedTrainConfig): Promise<string | undefined> {
  const { predictDir } = config.data
  if (predictDir === null) return undefined
  const root = resolve(predictDir)
  const { paths } = await listUnlabelledImages({ dir: root, probe: false })

  const digests = await mapConcurrent({
    items: paths,
    concurrency: HASH_CONCURRENCY,
    work: (path) => digestFile(path),
  })
  const rows = paths.map((path, i) => [relative(root, path), digests[i]])
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex')
}

/** sha256 of a file's bytes, or `missing`: the run may skip it, so it is identity, not an error. */
async function digestFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => null)
  if (info === null) return 'missing'
  const key = `${path}:${info.size}:${info.mtimeMs}`
  let digest = fileDigests.get(key)
  if (digest === undefined) {
    digest = readFile(path).then(
      (bytes) => createHash('sha256').update(bytes).digest('hex'),
      () => 'unreadable',
    )
    fileDigests.set(key, digest)
  }
  return digest
}

async function identifyWeights(config: ResolvedTrainConfig): Promise<string> {
  const { weights, architecture } = config
  if (weights === null) return 'random'
  // Keras publishes one file per architecture and checks it by md5, so the name identifies it.
  if (weights === 'imagenet') return `imagenet:${architecture}`

  return `md5:${await md5OfFileOnce(weights)}`
}
