import seedrandom from 'seedrandom'

/**
 * What a random stream is for. Each purpose gets its own stream derived from the run seed, so that
 * e.g. adding augmentation to a variant does not shift the data order of the same seed. `init` seeds
 * the classifier, whose builder derives each new layer's initializer and the dropout masks from it.
 */
export type SeedPurpose = 'init' | 'order' | 'augment' | 'math'

/** A uniform generator on [0, 1), like `Math.random`. */
export type Rng = () => number

/** Returns the stream of one purpose for one run seed; the same arguments give the same stream. */
export function createRng(args: { seed: number; purpose: SeedPurpose }): Rng {
  return seedrandom(`ablate:${args.seed}:${args.purpose}`)
}

/**
 * Derives an integer seed in [1, 2^31) for APIs that take a number (tfjs initializers treat 0 as
 * "unseeded", hence never 0).
 */
export function deriveSeed(args: { seed: number; purpose: SeedPurpose }): number {
  const draw = seedrandom(`ablate:${args.seed}:${args.purpose}:int`).int32() >>> 1
  return draw === 0 ? 1 : draw
}

// The turn of the last queued seeded section; each section waits for the one before it.
let lastTurn: Promise<void> = Promise.resolve()

/**
 * Runs `run` with `Math.random` replaced by the run's own seeded stream and restores the previous
 * function afterwards, even on error. tfjs draws from `Math.random` wherever no seed is given.
 * `Math.random` is process-global, so sections run one at a time: a second call waits until the
 * first has finished (concurrent runs in one process are serialised; parallelism comes from worker
 * processes). Do not nest calls: the inner one would wait for the outer forever.
 */
export async function withSeededMathRandom<T>(args: {
  seed: number
  run: () => Promise<T>
}): Promise<T> {
  const previousTurn = lastTurn
  let release = () => {}
  lastTurn = new Promise<void>((resolve) => {
    release = resolve
  })
  await previousTurn

  const previous = Math.random
  Math.random = createRng({ seed: args.seed, purpose: 'math' })
  try {
    return await args.run()
  } finally {
    Math.random = previous
    release()
  }
}
