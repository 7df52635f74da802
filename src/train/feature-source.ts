import { createHash } from 'node:crypto'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { createLogger } from '../log.js'
import type { Classifier } from '../models/index.js'
import { throwIfAborted } from './abort.js'
import {
  type FeatureCacheLocation,
  type FeatureTable,
  readFeatureTable,
  writeFeatureTable,
} from './feature-cache.js'
import { buildModelInput, type InputRecipe } from './model-input.js'
import type { PreparedData } from './prepared-data.js'
import type { Rng } from './seed-streams.js'

const log = createLogger('train:features')

// Bump when anything that shapes cached features changes meaning (pipeline order, layout).
const KEY_VERSION = 1

/**
 * The input of the trainable part for any set of images. `origin` says where it comes from:
 * a feature table (`memory`, `disk`, or `computed` in this call) or the backbone per batch (`live`).
 */
export interface FeatureSource {
  origin: 'memory' | 'disk' | 'computed' | 'live'
  /** Input of `classifier.trainable` for the chosen images; `rng` draws augmentation. Caller disposes. */
  features(args: { indices: ArrayLike<number>; rng: Rng | null }): tf.Tensor
}

/** Arguments of `createFeatureSource`. */
export interface FeatureSourceArgs {
  classifier: Pick<Classifier, 'frozen' | 'inputSize'>
  data: PreparedData
  recipe: InputRecipe
  /** `'off'` always runs the backbone per batch; otherwise see `TrainConfig.featureCache`. */
  cache: 'disk' | 'memory' | 'off'
  /** Folder of on-disk caches; tables go to `<cacheDir>/features/<key>.bin`. */
  cacheDir: string
  /** Images per backbone call when computing a table. */
  batchSize: number
  /** Aborts a table computation between backbone calls with `ABLATE_ABORTED`. */
  signal?: AbortSignal
}

/**
 * Chooses how the head gets its input. A frozen backbone with no random augmentation is run once
 * over every image and its features reused (memory, then disk, keyed by data, preprocessing,
 * contrast, input size, backbone weights and backend); otherwise the backbone runs per batch.
 */
export async function createFeatureSource(args: FeatureSourceArgs): Promise<FeatureSource> {
  const frozen = args.classifier.frozen
  if (frozen === null || args.recipe.augment !== null || args.cache === 'off') {
    return liveSource({ frozen, images: args.data.images, recipe: args.recipe })
  }

  const key = await computeFeatureKey({ ...args, frozen })
  const location: FeatureCacheLocation =
    args.cache === 'disk'
      ? { kind: 'disk', dir: join(args.cacheDir, 'features') }
      : { kind: 'memory' }
  const hit = await readFeatureTable({ key, location })
  if (hit && hit.table.n === args.data.images.n) return tableSource(hit.table, hit.from)

  log('computing backbone features for %d images (key %s)', args.data.images.n, key)
  const table = await computeFeatureTable({ ...args, frozen })
  await writeFeatureTable({ key, table, location })
  return tableSource(table, 'computed')
}

/** Runs the frozen backbone in inference mode over every image, `batchSize` images at a time. */
export async function computeFeatureTable(args: {
  frozen: tf.LayersModel
  data: PreparedData
  recipe: InputRecipe
  batchSize: number
  signal?: AbortSignal
}): Promise<FeatureTable> {
  const n = args.data.images.n
  let table: FeatureTable | null = null
  for (let start = 0; start < n; start += args.batchSize) {
    throwIfAborted(args.signal, `while computing backbone features (image ${start} of ${n})`)
    const indices = range(start, Math.min(n, start + args.batchSize))
    const features = tf.tidy(() =>
      predictFeatures(args.frozen, args.data.images, indices, args.recipe),
    )
    const values = await features.data<'float32'>()
    table ??= allocateTable(n, features.shape.slice(1))
    table.values.set(values, start * rowLength(table))
    features.dispose()
    // Let abort events fire: a large data set takes a while here.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return table ?? { n: 0, shape: [], values: new Float32Array(0) }
}

function liveSource(args: {
  frozen: tf.LayersModel | null
  images: PreparedData['images']
  recipe: InputRecipe
}): FeatureSource {
  const { frozen, images, recipe } = args
  return {
    origin: 'live',
    features: ({ indices, rng }) =>
      tf.tidy(() => {
        const input = buildModelInput({ images, indices, recipe, rng })
        return frozen === null
          ? input
          : (frozen.predict(input, { batchSize: indices.length }) as tf.Tensor)
      }),
  }
}

function tableSource(table: FeatureTable, origin: 'memory' | 'disk' | 'computed'): FeatureSource {
  const length = rowLength(table)
  return {
    origin,
    features: ({ indices }) => {
      const batch = new Float32Array(indices.length * length)
      for (let row = 0; row < indices.length; row++) {
        const start = (indices[row] as number) * length
        batch.set(table.values.subarray(start, start + length), row * length)
      }
      return tf.tensor(batch, [indices.length, ...table.shape])
    },
  }
}

function predictFeatures(
  frozen: tf.LayersModel,
  images: PreparedData['images'],
  indices: Int32Array,
  recipe: InputRecipe,
): tf.Tensor {
  const input = buildModelInput({
    images,
    indices,
    recipe: { ...recipe, augment: null },
    rng: null,
  })
  return frozen.predict(input, { batchSize: indices.length }) as tf.Tensor
}

/** The cache key: everything that determines the features of every image, hashed. */
async function computeFeatureKey(
  args: FeatureSourceArgs & { frozen: tf.LayersModel },
): Promise<string> {
  const identity = {
    version: KEY_VERSION,
    data: args.data.identity ?? hashPixels(args.data.images),
    preprocessing: args.recipe.preprocessing,
    contrast: args.recipe.contrast,
    inputSize: args.classifier.inputSize,
    backbone: await identifyBackbone(args.frozen),
    // Backends round differently; features from one are not the features of another.
    backend: tf.getBackend(),
  }
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32)
}

/**
 * Hashes a model's architecture (layer classes and configs without names, seeds or initializers,
 * which do not change outputs) and every weight value, so equal hashes mean equal functions.
 */
export async function identifyBackbone(model: tf.LayersModel): Promise<string> {
  const hash = createHash('sha256')
  hash.update(JSON.stringify(model.inputs.map((input) => input.shape)))
  for (const layer of model.layers) {
    hash.update(layer.getClassName())
    hash.update(JSON.stringify(stripIrrelevant(layer.getConfig())))
  }
  for (const weight of model.weights) {
    const values = await weight.read().data()
    hash.update(JSON.stringify(weight.shape))
    hash.update(Buffer.from(values.buffer, values.byteOffset, values.byteLength))
  }
  return hash.digest('hex')
}

function stripIrrelevant(config: tf.serialization.ConfigDict): tf.serialization.ConfigDict {
  const kept: tf.serialization.ConfigDict = {}
  for (const [key, value] of Object.entries(config)) {
    if (/^(name|seed|trainable)$|(Initializer|Regularizer|Constraint)$/.test(key)) continue
    kept[key] = value
  }
  return kept
}

function hashPixels(images: PreparedData['images']): string {
  const hash = createHash('sha256').update(`${images.n}x${images.size}`)
  return hash.update(images.pixels).digest('hex')
}

function allocateTable(n: number, shape: number[]): FeatureTable {
  return { n, shape, values: new Float32Array(n * shape.reduce((a, b) => a * b, 1)) }
}

function rowLength(table: FeatureTable): number {
  return table.shape.reduce((a, b) => a * b, 1)
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i)
}
