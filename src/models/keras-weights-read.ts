import * as tf from '@tensorflow/tfjs'
import type * as H5 from 'h5wasm'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { openH5ForRead, readChunkedStrings } from './h5-file.js'
import { KERAS3_LAYER_GROUPS, keras3Keys, readKeras3Layers } from './keras3-weights.js'
import type { StoredLayer, StoredWeights } from './stored-weights.js'
import { toFloat32 } from './stored-weights.js'

const log = createLogger('models')

/** What {@link loadKerasWeights} did. */
export interface KerasWeightsLoadSummary {
  /** Layers whose weights were assigned. */
  loaded: string[]
  /** Layers of the model that carry weights but are absent from the file (left as they were). */
  notInFile: string[]
}

/**
 * Assigns weights from a Keras 2 .h5 file (`Model.save_weights` or a whole saved model) to `model`,
 * by layer name, or from a Keras 3 `.weights.h5` file by layer class and position, checking every
 * shape. Every layer of the file that carries weights must exist in the
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
  const layers = stored.format === 'keras3' ? renameKeras3(stored.layers, args) : stored.layers
  const exclude = new Set(args.exclude ?? [])
  const loaded: string[] = []

  for (const layer of layers) {
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

/**
 * Reads every layer's weight arrays from a Keras 2 .h5 file (by layer name) or a Keras 3
 * `.weights.h5` file (keyed by class and position, e.g. `conv2d_3`).
 */
export async function readKerasWeightsFile(path: string): Promise<StoredWeights> {
  const file = await openH5ForRead(path)
  try {
    const root = weightsRoot(file)
    const layerNames = readChunkedStrings(root, 'layer_names')
    if (layerNames !== undefined) {
      return { format: 'keras2', layers: layerNames.map((name) => readLayer({ root, name, path })) }
    }
    if (KERAS3_LAYER_GROUPS.some((name) => root.keys().includes(name))) {
      return { format: 'keras3', layers: readKeras3Layers({ root, path }) }
    }
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `expected a Keras weights file ('layer_names' attribute of Keras 2, or the 'layers' group of ` +
        `Keras 3), found neither in '${path}': save it with Keras' save_weights or writeKerasWeights`,
    )
  } finally {
    file.close()
  }
}

/** Gives Keras 3 layers (keyed `conv2d_3`) the names of the model's layers at the same key. */
function renameKeras3(layers: StoredLayer[], args: { model: tf.LayersModel; path: string }) {
  const names = keras3Keys(args.model)
  return layers.map((layer) => {
    const name = names.get(layer.name)
    if (name === undefined && layer.arrays.length > 0) {
      throw new AblateError(
        'ABLATE_WEIGHTS_INVALID',
        `'${args.path}' has weights at 'layers/${layer.name}' but the model has no layer at that ` +
          'class and position: is the file for another architecture?',
      )
    }
    return { ...layer, name: name ?? layer.name }
  })
}

/** A whole saved model keeps weights under `model_weights`; save_weights puts them at the root. */
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

  const arrays = inModelOrder({
    arrays: layer.arrays,
    targetNames: target.weights.map((w) => w.originalName),
  })
  for (const [i, array] of arrays.entries()) {
    checkShape({ layer: layer.name, array, expected: expected[i]! })
  }
  const tensors = arrays.map((a) => tf.tensor(a.values, a.shape, 'float32'))
  try {
    target.setWeights(tensors)
  } finally {
    tf.dispose(tensors)
  }
}

/**
 * Orders stored arrays as the model's weights when their names say which is which (`gamma:0`,
 * `moving_mean:0`, ...); otherwise keeps the file's order, which Keras writes in weight order.
 */
function inModelOrder(args: {
  arrays: StoredLayer['arrays']
  targetNames: string[]
}): StoredLayer['arrays'] {
  const short = (name: string) => name.slice(name.lastIndexOf('/') + 1).replace(/:\d+$/, '')
  const byName = new Map(args.arrays.map((a) => [short(a.name), a]))
  const ordered = args.targetNames.map((name) => byName.get(short(name)))
  const complete = byName.size === args.arrays.length && ordered.every((a) => a !== undefined)
  return complete ? (ordered as StoredLayer['arrays']) : args.arrays
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
