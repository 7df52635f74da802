import { AblateError } from '../errors.js'
import { shuffleInPlace } from './shuffle.js'

/** How training compensates for unequal class sizes. */
export type Balance = 'none' | 'sampler' | 'class-weights'

/** Counts of each class in an epoch order, and their share of the order. */
export interface ClassDistribution {
  counts: number[]
  fractions: number[]
}

/**
 * The training images of one epoch, in order. `'none'` and `'class-weights'`: every index once,
 * shuffled. `'sampler'`: the epoch keeps its length (indices.length, so an epoch has as many steps
 * as without the sampler); the classes present share it equally (the remainder goes one each to
 * classes picked at random), each class's images drawn uniformly with replacement, then the order
 * shuffled.
 */
export function epochOrder(args: {
  indices: Int32Array
  labels: ArrayLike<number>
  balance: Balance
  rng: () => number
}): Int32Array {
  const { indices, rng } = args
  if (args.balance === 'none' || args.balance === 'class-weights') {
    return shuffleInPlace(Int32Array.from(indices), rng)
  }
  if (args.balance !== 'sampler') {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected balance 'none', 'sampler' or 'class-weights', found '${args.balance}'.`,
    )
  }
  return shuffleInPlace(sampleBalanced({ indices, labels: args.labels, rng }), rng)
}

function sampleBalanced(args: {
  indices: Int32Array
  labels: ArrayLike<number>
  rng: () => number
}): Int32Array {
  const { indices, rng } = args
  const members = new Map<number, number[]>()
  for (const index of indices) {
    const label = args.labels[index] as number
    const list = members.get(label) ?? []
    list.push(index)
    members.set(label, list)
  }
  const classes = Int32Array.from([...members.keys()].sort((a, b) => a - b))
  const quota = sharesOf({ length: indices.length, classes, rng })

  const order = new Int32Array(indices.length)
  let at = 0
  classes.forEach((label, c) => {
    const pool = members.get(label) as number[]
    for (let k = 0; k < (quota[c] as number); k++) {
      order[at++] = pool[Math.floor(rng() * pool.length)] as number
    }
  })
  return order
}

/** Splits `length` draws equally over classes; the remainder goes to distinct random classes. */
function sharesOf(args: { length: number; classes: Int32Array; rng: () => number }): number[] {
  const k = args.classes.length
  const quota = new Array<number>(k).fill(Math.floor(args.length / k))
  const lucky = shuffleInPlace(
    Int32Array.from({ length: k }, (_, i) => i),
    args.rng,
  )
  for (let r = 0; r < args.length % k; r++) {
    const c = lucky[r] as number
    quota[c] = (quota[c] as number) + 1
  }
  return quota
}

/**
 * Class weights for the loss by sklearn's 'balanced' rule, n / (numClasses * count[c]), over the
 * labels of `indices` (all labels when omitted). A class with no image is an error: its weight
 * would be infinite (sklearn raises too).
 */
export function computeClassWeights(args: {
  labels: ArrayLike<number>
  numClasses: number
  indices?: ArrayLike<number>
}): number[] {
  const { counts } = classDistribution({
    order: args.indices ?? Int32Array.from({ length: args.labels.length }, (_, i) => i),
    labels: args.labels,
    numClasses: args.numClasses,
  })
  const total = counts.reduce((sum, c) => sum + c, 0)
  const missing = counts.indexOf(0)
  if (missing >= 0) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected every class among the training labels for class weights, found none of class ` +
        `${missing} (counts ${JSON.stringify(counts)}). Add images of that class or drop the class.`,
    )
  }
  return counts.map((c) => total / (args.numClasses * c))
}

/**
 * The effective class distribution of an epoch order (or any index list): how many times each class
 * appears and its share, for reports ("what the model saw").
 */
export function classDistribution(args: {
  order: ArrayLike<number>
  labels: ArrayLike<number>
  numClasses: number
}): ClassDistribution {
  const counts = new Array<number>(args.numClasses).fill(0)
  for (let i = 0; i < args.order.length; i++) {
    const label = args.labels[args.order[i] as number] as number
    if (!(label >= 0 && label < args.numClasses && Number.isInteger(label))) {
      throw new AblateError(
        'ABLATE_DATA_INVALID',
        `Expected labels in 0..${args.numClasses - 1}, found ${label} at image ` +
          `${args.order[i]}. Pass numClasses matching the class list.`,
      )
    }
    counts[label] = (counts[label] as number) + 1
  }
  const total = args.order.length
  return { counts, fractions: counts.map((c) => (total === 0 ? 0 : c / total)) }
}
