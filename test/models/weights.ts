import type * as tf from '@tensorflow/tfjs'

/** Copies of each named layer's weight arrays (all layers when `names` is left out), by name. */
export function layerWeights(
  model: tf.LayersModel,
  names: readonly string[] = model.layers.map((l) => l.name),
): Map<string, Float32Array[]> {
  return new Map(
    names.map((name) => [
      name,
      model
        .getLayer(name)
        .getWeights()
        .map((w) => w.dataSync() as Float32Array),
    ]),
  )
}

/** The first weight array (the kernel) of the named layer. */
export function kernelOf(model: tf.LayersModel, name: string): Float32Array {
  return model.getLayer(name).getWeights()[0]!.dataSync() as Float32Array
}
