import * as tf from '@tensorflow/tfjs'
import type * as H5 from 'h5wasm'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { openH5ForRead, readChunkedStrings } from './h5-file.js'

const log = createLogger('models')

/** What {@link loadKerasWeights} did. */
export interface KerasWeightsLoadSummary {
  /** Layers whose weights were assigned. */
  loaded: string[]
  /** Layers of the model that carry weights but are absent from the file (left as they were). */
  notInFile: string[]
}

/** One layer's arrays as stored in the file, in the file's order. */
interface StoredLayer {
  name: string
  arrays: { name: string; shape: number[]; values: Float32Array }[]
}

/**
 * Assigns weights from a Keras 2 .h5 file (`Model.save_weights` or a whole saved model) to `model`,
 * by layer name, checking every shape. Every layer of the file that carries weights must exist in the
 * model unless named in `exclude`; layers of the model absent from the file keep their weights and
 * are listed in the summary.
 */
export async function loadKerasWeights(args: {
  model: tf.LayersModel
  path: string
  /** Default []. File layers to ignore, e.g. a pretrained model's own `predictions`. */
  exclude?: readonly string[]
}): Promise<KerasWeightsLoadSummary> {
  const stored = await readKerasWeightsFile(args.path)
  const exclude = new Set(args.exclude ?? [])
  const loaded: string[] = []

  for (const layer of stored) {
    if (exclude.has(layer.name) || layer.arrays.length === 0) continue
    assignLayer({ model: args.model, layer, path: args.path })
    loaded.push(layer.name)
  }

  const inFile = new Set(loaded)
  const notInFile = args.model.layers
    .filter((l) => l.weights.length > 0 && !inFile.has(l.name))
    .map((l) => l.name)
  log('loaded %d layers from %s; not in file: %o', loaded.length, args.path, notInFile)
  return { loaded, notInFile }
}

/** Reads every layer's weight arrays from a Keras 2 .h5 file. */
export async function readKerasWeightsFile(path: string): Promise<StoredLayer[]> {
  const file = await openH5ForRead(path)
  try {
    const root = weightsRoot(file)
    const layerNames = readChunkedStrings(root, 'layer_names')
    if (layerNames === undefined) {
      throw new AblateError(
        'ABLATE_WEIGHTS_INVALID',
        `expected a Keras 2 weights file with a 'layer_names' attribute, found none in '${path}': ` +
          'save it with Keras 2 `save_weights(..., save_format="h5")` or ablate writeKerasWeights',
      )
    }
    return layerNames.map((name) => readLayer({ root, name, path }))
  } finally {
    file.close()
  }
}

/** A whole saved model keeps its weights under `model_weights`; save_weights puts them at the root. */
function weightsRoot(file: H5.File): H5.Group {
  const nested = file.keys().includes('model_weights') ? file.get('model_weights') : null
  return (nested as H5.Group | null) ?? file
}

function readLayer(args: { root: H5.Group; name: string; path: string }): StoredLayer {
  const group = args.root.get(args.name) as H5.Group | null
  if (group === null) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `'${args.path}' lists layer '${args.name}' in layer_names but has no group for it`,
    )
  }
  const weightNames = readChunkedStrings(group, 'weight_names') ?? []
  const arrays = weightNames.map((weightName) => {
    const dataset = group.get(weightName) as H5.Dataset | null
    if (dataset === null) {
      throw new AblateError(
        'ABLATE_WEIGHTS_INVALID',
        `'${args.path}': layer '${args.name}' lists weight '${weightName}' but has no such dataset`,
      )
    }
    return { name: weightName, shape: dataset.shape ?? [], values: toFloat32(dataset.value) }
  })
  return { name: args.name, arrays }
}

function toFloat32(value: unknown): Float32Array {
  if (value instanceof Float32Array) return value
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Float32Array.from(value as unknown as ArrayLike<number>)
  }
  if (typeof value === 'number') return Float32Array.of(value)
  throw new AblateError(
    'ABLATE_WEIGHTS_INVALID',
    `expected a numeric dataset, found ${typeof value}`,
  )
}

function assignLayer(args: { model: tf.LayersModel; layer: StoredLayer; path: string }): void {
  const { layer, path } = args
  const target = findLayer(args.model, layer.name)
  if (target === undefined) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `'${path}' has weights for layer '${layer.name}' but the model has no layer of that name: ` +
        'is the file for another architecture?',
    )
  }
  const expected = target.weights.map((w) => w.shape as number[])
  if (expected.length !== layer.arrays.length) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `layer '${layer.name}': expected ${expected.length} weight arrays, found ` +
        `${layer.arrays.length} in '${path}'`,
    )
  }

  for (const [i, array] of layer.arrays.entries()) {
    checkShape({ layer: layer.name, array, expected: expected[i]! })
  }
  const tensors = layer.arrays.map((a) => tf.tensor(a.values, a.shape, 'float32'))
  try {
    target.setWeights(tensors)
  } finally {
    tf.dispose(tensors)
  }
}

function findLayer(model: tf.LayersModel, name: string): tf.layers.Layer | undefined {
  return model.layers.find((l) => l.name === name)
}

function checkShape(args: {
  layer: string
  array: { name: string; shape: number[] }
  expected: number[]
}): void {
  const { array, expected } = args
  const same =
    array.shape.length === expected.length && array.shape.every((d, i) => d === expected[i])
  if (!same) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `layer '${args.layer}', weight '${array.name}': expected shape [${expected.join(', ')}], ` +
        `found [${array.shape.join(', ')}]: the file was saved for another input size or width`,
    )
  }
}
