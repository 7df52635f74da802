import { AblateError } from '../errors.js'

/** One layer's arrays as stored in a weights file, in the file's order. */
export interface StoredLayer {
  /** Layer name (Keras 2) or key such as `conv2d_3` (Keras 3). */
  name: string
  arrays: { name: string; shape: number[]; values: Float32Array }[]
}

/** A weights file's layers, tagged by layout. */
export interface StoredWeights {
  format: 'keras2' | 'keras3'
  layers: StoredLayer[]
}

/** A dataset's values as float32 (Keras stores float32; float64 files are converted). */
export function toFloat32(value: unknown): Float32Array {
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
