import { AblateError } from '../errors.js'

/**
 * Everything `fineTune` needs to know about the data: decoded images, labels and the split.
 * `trainRun` builds it from src/data's loader; tests may build it from tensors they make.
 */
export interface PreparedData {
  /** Decoded RGB images, 0..255, row-major NHWC (src/data's `DecodedImages`). */
  images: { pixels: Uint8Array; n: number; size: number }
  /** Class id of every image, integers in [0, classNames.length). */
  labels: Int32Array
  /** One name per class; its length is the number of classes. */
  classNames: string[]
  /** Image indices of the training and the validation part (src/data's `Split` qualifies). */
  split: { train: Int32Array; validation: Int32Array }
  /**
   * Default: a hash of the pixels. Identity of the images for the feature cache, e.g. a hash of
   * the decoded pixels and their shape. Equal identities must mean equal pixels.
   */
  identity?: string
}

/** Checks that the arrays agree with each other and with the model's input size. */
export function checkPreparedData(args: { data: PreparedData; inputSize: number }): void {
  const { images, labels, classNames, split } = args.data
  const { n, size } = images
  if (size !== args.inputSize) {
    fail(`images are ${size}px but the model takes ${args.inputSize}px: decode at its inputSize`)
  }
  if (images.pixels.length !== n * size * size * 3) {
    fail(
      `pixels hold ${images.pixels.length} bytes, expected n*size*size*3 = ${n * size * size * 3}`,
    )
  }
  if (labels.length !== n) fail(`${labels.length} labels for ${n} images`)

  const bad = labels.find((label) => !(label >= 0 && label < classNames.length))
  if (bad !== undefined) fail(`label ${bad} outside [0, ${classNames.length})`)
  const outside = [...split.train, ...split.validation].find((i) => !(i >= 0 && i < n))
  if (outside !== undefined) fail(`split index ${outside} outside [0, ${n})`)
  if (split.train.length === 0 || split.validation.length === 0) {
    const sides = `${split.train.length} training and ${split.validation.length} validation images`
    fail(`the split has ${sides}; both sides need at least one`)
  }
}

/** Number of entries of each class among `indices`. */
export function countClasses(args: {
  labels: ArrayLike<number>
  indices: ArrayLike<number>
  numClasses: number
}): number[] {
  const counts = new Array<number>(args.numClasses).fill(0)
  for (let i = 0; i < args.indices.length; i++) {
    const label = args.labels[args.indices[i] as number] as number
    counts[label] = (counts[label] as number) + 1
  }
  return counts
}

function fail(message: string): never {
  throw new AblateError('ABLATE_DATA_INVALID', `fineTune: invalid prepared data: ${message}.`)
}
