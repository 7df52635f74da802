import type * as tf from '@tensorflow/tfjs'
import type * as H5 from 'h5wasm'
import { AblateError } from '../errors.js'
import type { StoredLayer } from './stored-weights.js'
import { toFloat32 } from './stored-weights.js'

/** Group names of the layer list: Keras 3, and Keras 2.13's first take on the same format. */
export const KERAS3_LAYER_GROUPS = ['layers', '_layer_checkpoint_dependencies'] as const

/**
 * Keras 3 `.weights.h5`: no layer names; `layers/<snake_class>[_N]/vars/<i>` where `_N` counts the
 * model's earlier layers of the same class (Keras 3 avoids auto-generated names). Only flat
 * functional models are read (no nested models).
 * Shortcoming: matching by position assumes tfjs orders the layers as Keras did; that is tested on
 * chain-shaped models only, and two same-shaped layers on parallel branches (ResNet's 1x1 shortcut
 * and last block convs) could swap unseen. The mark can go with a test on a real Keras 3 ResNet
 * file.
 */
export function readKeras3Layers(args: { root: H5.Group; path: string }): StoredLayer[] {
  const groupName = KERAS3_LAYER_GROUPS.find((name) => args.root.keys().includes(name))
  if (groupName === undefined) return []
  const layers = args.root.get(groupName) as H5.Group
  return layers.keys().map((key) => {
    const group = layers.get(key) as H5.Group
    const vars = group.keys().includes('vars') ? (group.get('vars') as H5.Group) : null
    if (vars === null && KERAS3_LAYER_GROUPS.some((name) => group.keys().includes(name))) {
      throw new AblateError(
        'ABLATE_WEIGHTS_INVALID',
        `'${args.path}' nests a model at '${groupName}/${key}': ablate reads flat Keras 3 models only; ` +
          'save the inner model on its own',
      )
    }
    const indices = (vars?.keys() ?? []).map(Number).sort((a, b) => a - b)
    const arrays = indices.map((i) => {
      const dataset = vars!.get(String(i)) as H5.Dataset
      return { name: `vars/${i}`, shape: dataset.shape ?? [], values: toFloat32(dataset.value) }
    })
    return { name: key, arrays }
  })
}

/** Keras' snake case of a class name: `Conv2D` -> `conv2d`, `ReLU` -> `re_lu`. */
export function toSnakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
}

/** The Keras 3 key of every layer of `model`, in the model's layer order. */
export function keras3Keys(model: tf.LayersModel): Map<string, string> {
  const used = new Map<string, number>()
  const keys = new Map<string, string>()
  for (const layer of model.layers) {
    const base = toSnakeCase(layer.getClassName())
    const count = used.get(base)
    used.set(base, count === undefined ? 0 : count + 1)
    keys.set(count === undefined ? base : `${base}_${count + 1}`, layer.name)
  }
  return keys
}
