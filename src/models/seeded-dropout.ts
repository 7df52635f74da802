import * as tf from '@tensorflow/tfjs'
import seedrandom from 'seedrandom'
import { AblateError } from '../errors.js'

/** Constructor arguments of {@link SeededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of units dropped during training, in [0, 1). */
  rate: number
  /** Seed of the layer's own stream of masks; any integer, 0 included. */
  seed: number
  /** Default: a unique name tfjs derives from the class. ablate's heads name it `top_dropout`. */
  name?: string
}

/**
 * Dropout that draws a fresh mask on every training call from its own seeded stream, so that a run
 * is reproducible and the masks still differ between batches. tfjs `Dropout` given a fixed seed
 * reuses one mask forever (DESIGN.md). Inference (`predict`, `training` unset) is the identity.
 * The stream restarts from `seed` when the layer is rebuilt or deserialised.
 */
export class SeededDropout extends tf.layers.Layer {
  /** Name under which the class is registered for tfjs serialisation. */
  static className = 'SeededDropout'
  readonly rate: number
  readonly seed: number
  private stream: seedrandom.StatefulPRNG<seedrandom.State.Alea>

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name })
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new AblateError(
        'ABLATE_SPEC_INVALID',
        `dropout rate must be in [0, 1), got ${args.rate}`,
      )
    }
    this.rate = args.rate
    this.seed = args.seed
    this.stream = seedrandom.alea(`seeded-dropout:${args.seed}`, { state: true })
    this.supportsMasking = true
  }

  /** Restarts the stream of masks from `seed` (e.g. before refitting from scratch). */
  reseed(seed: number = this.seed): void {
    this.stream = seedrandom.alea(`seeded-dropout:${seed}`, { state: true })
  }

  /** The position of the stream of masks, to put back with {@link restoreStreamState}. */
  saveStreamState(): seedrandom.State.Alea {
    return this.stream.state()
  }

  /** Puts the stream of masks back where {@link saveStreamState} found it. */
  restoreStreamState(state: seedrandom.State.Alea): void {
    this.stream = seedrandom.alea('', { state })
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs
    if (input === undefined)
      throw new AblateError('ABLATE_SPEC_INVALID', 'SeededDropout got no input')
    if (kwargs.training !== true || this.rate === 0) return tf.clone(input)

    // One draw of the layer's stream per training call seeds this call's mask.
    const maskSeed = Math.floor(this.stream() * 0x7fffffff) + 1
    return tf.tidy(() => {
      const keep = tf.randomUniform(input.shape, 0, 1, 'float32', maskSeed).greaterEqual(this.rate)
      return input.mul(keep.cast('float32')).div(1 - this.rate)
    })
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed }
  }
}

tf.serialization.registerClass(SeededDropout)
