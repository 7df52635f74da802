import seedrandom from 'seedrandom'
import { AblateError } from '../errors.js'
import { shuffleInPlace } from './shuffle.js'

/** Inputs of `stratifiedSplit`. */
export interface SplitOptions {
  /** No default. Class index of every image. */
  labels: ArrayLike<number>
  /** No default. Class names, for counts and messages; `labels` index into it. */
  classNames: string[]
  /** Default 0.2. Fraction of each class held out for validation, in (0, 1). */
  validationFraction?: number
  /** No default. Seed of the split; the same seed gives the same split. */
  seed: number
}

/** Image indices of each side, ascending, and per-class counts (indexed like `classNames`). */
export interface Split {
  train: Int32Array
  validation: Int32Array
  counts: { train: number[]; validation: number[] }
}

/**
 * Stratified, seeded train/validation split. Each class holds out round(count * fraction) images,
 * but at least one and at most count - 1, so every class appears on both sides; a class with fewer
 * than two images is an error. Draws come from seedrandom keyed by `split:<seed>`, independent of
 * the run.
 */
export function stratifiedSplit(options: SplitOptions): Split {
  const fraction = options.validationFraction ?? 0.2
  validateFraction(fraction)
  const byClass = groupByClass(options.labels, options.classNames)
  const rng = seedrandom(`split:${options.seed}`)

  const train: number[] = []
  const validation: number[] = []
  const counts = { train: [] as number[], validation: [] as number[] }
  byClass.forEach((members, label) => {
    const held = heldOutCount({ size: members.length, fraction, name: options.classNames[label] })
    shuffleInPlace(members, rng)
    validation.push(...members.slice(0, held))
    train.push(...members.slice(held))
    counts.validation.push(held)
    counts.train.push(members.length - held)
  })

  const ascending = (a: number, b: number) => a - b
  return {
    train: Int32Array.from(train.sort(ascending)),
    validation: Int32Array.from(validation.sort(ascending)),
    counts,
  }
}

function validateFraction(fraction: number): void {
  if (fraction > 0 && fraction < 1) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected data.validationSplit between 0 and 1 (exclusive), found ${fraction}. Use e.g. 0.2.`,
  )
}

function groupByClass(labels: ArrayLike<number>, classNames: string[]): number[][] {
  const byClass = classNames.map((): number[] => [])
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as number
    const members = byClass[label]
    if (!Number.isInteger(label) || members === undefined) {
      throw new AblateError(
        'ABLATE_DATA_INVALID',
        `Expected every label to be a class index in 0..${classNames.length - 1}, found ${label} ` +
          `for image ${i}. Pass the classNames that the labels index.`,
      )
    }
    members.push(i)
  }
  return byClass
}

function heldOutCount(args: { size: number; fraction: number; name: string | undefined }): number {
  if (args.size < 2) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected at least 2 images of class '${args.name}' so that it appears in both training and ` +
        `validation, found ${args.size}. Add images of '${args.name}' or remove the class.`,
    )
  }
  return Math.min(args.size - 1, Math.max(1, Math.round(args.size * args.fraction)))
}
