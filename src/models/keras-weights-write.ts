import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type * as tf from '@tensorflow/tfjs'
import type * as H5 from 'h5wasm'
import { loadH5, writeChunkedStrings } from './h5-file.js'

/** Keras version written into the file: the layout is that of Keras 2's `save_weights` to .h5. */
const KERAS_VERSION = '2.15.0'

/**
 * Writes `model`'s weights in the Keras 2 .h5 layout (`layer_names` on the root, a group per layer
 * with `weight_names`, datasets at `<layer>/<layer>/<weight>:0`), through a temporary file renamed
 * into place. Keras' `load_weights` and ablate's {@link loadKerasWeights} read it.
 */
export async function writeKerasWeights(args: {
  model: tf.LayersModel
  path: string
  /** Default 64,512 (HDF5 object header limit). Attribute size above which names are chunked. */
  attributeLimitBytes?: number
}): Promise<void> {
  const h5 = await loadH5()
  await mkdir(dirname(args.path), { recursive: true })
  const temp = `${args.path}.${process.pid}.${Date.now()}.tmp`
  const file = new h5.File(temp, 'w')
  try {
    writeRoot({ file, model: args.model, limitBytes: args.attributeLimitBytes })
  } catch (error) {
    file.close()
    await rm(temp, { force: true })
    throw error
  }
  file.close()
  await rename(temp, args.path)
}

function writeRoot(args: { file: H5.File; model: tf.LayersModel; limitBytes?: number }): void {
  const { file, model } = args
  const names = model.layers.map((l) => l.name)
  writeChunkedStrings({
    group: file,
    name: 'layer_names',
    values: names,
    limitBytes: args.limitBytes,
  })
  file.create_attribute('backend', 'tensorflow')
  file.create_attribute('keras_version', KERAS_VERSION)

  for (const layer of model.layers) {
    const group = ensureGroup(file, layer.name)
    const weightNames = layer.weights.map((w) => `${layer.name}/${shortName(w.originalName)}:0`)
    writeChunkedStrings({
      group,
      name: 'weight_names',
      values: weightNames,
      limitBytes: args.limitBytes,
    })
    layer.weights.forEach((w, i) => {
      const path = weightNames[i]!
      const parent = ensureGroup(group, dirname(path))
      const data = w.read().dataSync() as Float32Array
      parent.create_dataset({
        dtype: '<f',
        name: path.slice(path.lastIndexOf('/') + 1),
        data,
        shape: w.shape as number[],
      })
    })
  }
}

/** The last part of a tfjs variable name: `conv1_conv/kernel` gives `kernel`. */
function shortName(originalName: string): string {
  return originalName.slice(originalName.lastIndexOf('/') + 1)
}

/** Creates each missing group along a '/'-separated path (Keras names such as `conv1/conv`). */
function ensureGroup(root: H5.Group, path: string): H5.Group {
  let group = root
  for (const part of path.split('/').filter((p) => p !== '' && p !== '.')) {
    const existing = group.keys().includes(part) ? (group.get(part) as H5.Group) : null
    group = existing ?? group.create_group(part)
  }
  return group
}
