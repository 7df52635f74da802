import * as tf from '@tensorflow/tfjs'
import { adjustContrast, augmentBatch, toModelInput } from '../data/index.js'
import type { AugmentConfig } from './config.js'
import type { PreparedData } from './prepared-data.js'
import type { Rng } from './seed-streams.js'

/** How images become model input: deterministic contrast, optional random augmentation, scaling. */
export interface InputRecipe {
  /** Deterministic contrast factor around each image's mean (1 = unchanged). */
  contrast: number
  /** Random augmentation, or `null` for none (validation, feature caching). */
  augment: Required<AugmentConfig> | null
  preprocessing: 'caffe' | 'tf' | 'torch'
}

/** Copies the chosen images into one float32 batch tensor of 0..255 values, shape [b, s, s, 3]. */
export function gatherImages(args: {
  images: PreparedData['images']
  indices: ArrayLike<number>
}): tf.Tensor4D {
  const { pixels, size } = args.images
  const stride = size * size * 3
  const batch = new Float32Array(args.indices.length * stride)
  for (let row = 0; row < args.indices.length; row++) {
    const start = (args.indices[row] as number) * stride
    batch.set(pixels.subarray(start, start + stride), row * stride)
  }
  return tf.tensor4d(batch, [args.indices.length, size, size, 3])
}

/**
 * Builds the model input of the chosen images: gather, contrast, augmentation drawn from `rng`,
 * then the architecture's preprocessing. The caller disposes the result.
 */
export function buildModelInput(args: {
  images: PreparedData['images']
  indices: ArrayLike<number>
  recipe: InputRecipe
  rng: Rng | null
}): tf.Tensor4D {
  const { recipe, rng } = args
  return tf.tidy(() => {
    let images = gatherImages(args)
    if (recipe.contrast !== 1) images = adjustContrast(images, recipe.contrast)
    if (recipe.augment !== null && rng !== null) {
      images = augmentBatch({ images, augment: recipe.augment, rng })
    }
    return toModelInput({ images, preprocessing: recipe.preprocessing })
  })
}
