import * as tf from '@tensorflow/tfjs'
import {
  type DecodedImages,
  decodeImages,
  type ResizeMode,
  type SkippedImage,
} from '../data/index.js'
import { AblateError } from '../errors.js'
import type { Classifier } from '../models/index.js'
import { buildModelInput, type InputRecipe } from './model-input.js'

/** The class a classifier gives one image, with every class's probability. */
export interface Prediction {
  /** The image file, as given in `paths`. */
  path: string
  /** The most probable class's name (the first one on a tie). */
  label: string
  /** Softmax output, one entry per class in `classNames` order; sums to 1. */
  probabilities: number[]
}

/** Arguments of {@link predictImages}. */
export interface PredictImagesArgs {
  /** A trained classifier; only its whole model and preprocessing are used. */
  classifier: Pick<Classifier, 'model' | 'preprocessing'>
  /** Image files, in the order the predictions should come. */
  paths: string[]
  /** One name per model output, in class-index order. */
  classNames: string[]
  /** Side of the square model input in pixels (the classifier's `inputSize`). */
  size: number
  /** How images are fitted into the square: the same as in training. */
  resize: ResizeMode
  /** Deterministic contrast factor applied in training (1 = unchanged). */
  contrast: number
  /** Folder of the decoded-image cache, or null for none. */
  cacheDir: string | null
  /** Images per forward pass. */
  batchSize: number
  /** Leave out files that fail to decode (listed in `skipped`) instead of throwing. */
  skipUnreadable: boolean
}

/** What {@link predictImages} returns: one prediction per decoded image, in `paths` order. */
export interface PredictImagesResult {
  predictions: Prediction[]
  skipped: SkippedImage[]
}

/**
 * Classifies images with a trained classifier: decodes them as training does (same size, resize
 * mode and cache), applies the training contrast and the architecture's preprocessing without
 * augmentation, and runs the model in inference mode, `batchSize` images at a time. Frees every
 * tensor it creates. Throws `ABLATE_DATA_INVALID` naming a file that fails to decode, unless
 * `skipUnreadable`.
 */
export async function predictImages(args: PredictImagesArgs): Promise<PredictImagesResult> {
  checkClassNames(args)
  const decoded = await decodeImages({
    paths: args.paths,
    size: args.size,
    resize: args.resize,
    cacheDir: args.cacheDir,
    skipUnreadable: args.skipUnreadable,
  })
  const recipe: InputRecipe = {
    contrast: args.contrast,
    augment: null,
    preprocessing: args.classifier.preprocessing,
  }

  const predictions: Prediction[] = []
  for (let start = 0; start < decoded.n; start += args.batchSize) {
    const end = Math.min(start + args.batchSize, decoded.n)
    const rows = await predictBatch({ ...args, decoded, recipe, start, end })
    rows.forEach((probabilities, i) => {
      const path = args.paths[decoded.kept[start + i] as number] as string
      predictions.push({ path, label: labelOf(probabilities, args.classNames), probabilities })
    })
  }
  return { predictions, skipped: decoded.skipped }
}

/** Softmax rows of images `start..end` of the decoded batch. */
async function predictBatch(args: {
  classifier: PredictImagesArgs['classifier']
  decoded: DecodedImages
  recipe: InputRecipe
  start: number
  end: number
}): Promise<number[][]> {
  const { decoded, start, end } = args
  const indices = Int32Array.from({ length: end - start }, (_, i) => start + i)
  const output = tf.tidy(() => {
    const input = buildModelInput({ images: decoded, indices, recipe: args.recipe, rng: null })
    // predict() runs every layer in inference mode: dropout off, BatchNorm on moving statistics.
    return args.classifier.model.predict(input, { batchSize: indices.length }) as tf.Tensor2D
  })
  try {
    return (await output.array()) as number[][]
  } finally {
    output.dispose()
  }
}

function checkClassNames(args: PredictImagesArgs): void {
  const units = args.classifier.model.outputs[0]?.shape.at(-1)
  if (typeof units !== 'number' || units === args.classNames.length) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `predictImages: expected one class name per model output (${units}), found ` +
      `${args.classNames.length} in classNames ${JSON.stringify(args.classNames)}. Pass the ` +
      'class names the classifier was trained with.',
  )
}

function labelOf(probabilities: number[], classNames: string[]): string {
  let best = 0
  for (let k = 1; k < probabilities.length; k++) {
    if ((probabilities[k] as number) > (probabilities[best] as number)) best = k
  }
  return classNames[best] as string
}
