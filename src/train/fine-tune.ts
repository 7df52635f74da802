import * as tf from '@tensorflow/tfjs'
import { computeClassWeights, epochOrder } from '../data/index.js'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import type { ClassificationMetrics } from '../metrics/index.js'
import type { Classifier } from '../models/index.js'
import type { ProgressEvent } from '../spec/run.js'
import { throwIfAborted } from './abort.js'
import { EarlyStopping } from './early-stopping.js'
import { type Evaluation, evaluate } from './evaluate.js'
import { createFeatureSource, type FeatureSource } from './feature-source.js'
import { weightedCrossEntropy } from './loss.js'
import { createOptimizer, learningRateAt, setLearningRate } from './optimizer.js'
import { checkPreparedData, countClasses, type PreparedData } from './prepared-data.js'
import { hasRandomAugmentation, type ResolvedTrainConfig } from './resolved-config.js'
import { createRng, type Rng, withSeededMathRandom } from './seed-streams.js'

const log = createLogger('train')

/** Arguments of {@link fineTune}. */
export interface FineTuneArgs {
  /** Trained in place: `classifier.trainable`'s weights change, and with them `classifier.model`'s. */
  classifier: Pick<Classifier, 'frozen' | 'trainable' | 'inputSize' | 'preprocessing'>
  data: PreparedData
  config: ResolvedTrainConfig
  /** Seeds data order, augmentation and `Math.random` during the run. */
  seed: number
  /** Aborts between batches with `ABLATE_ABORTED`. */
  signal?: AbortSignal
  /** Called after every epoch with the training loss and the validation scores. */
  onProgress?: (event: ProgressEvent) => void
}

/** One epoch of the history; scores are on the validation split after the epoch. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number
  /** Mean training loss over the epoch's batches (class-weighted when `balance: 'class-weights'`). */
  loss: number
  validationLoss: number
  f1Macro: number
  f1Micro: number
  f1Weighted: number
  accuracy: number
  learningRate: number
  elapsedMs: number
}

/** What {@link fineTune} returns. */
export interface FineTuneResult {
  /** Validation scores of the weights the classifier holds on return (the best epoch's). */
  metrics: ClassificationMetrics
  validationLoss: number
  history: EpochRecord[]
  epochsRun: number
  /** 1-based epoch whose weights the classifier holds on return. */
  bestEpoch: number
  stoppedEarly: boolean
  /** Training examples seen per class, summed over all epochs run (shows the sampler's effect). */
  trainClassCounts: number[]
  /** Images per class in the training split, each counted once (before any balancing). */
  trainSplitClassCounts: number[]
  /** Images per class in the validation split. */
  validationClassCounts: number[]
  /** Where the head's input came from: a feature table (memory, disk, computed) or the backbone live. */
  features: FeatureSource['origin']
  durationMs: number
}

/** Everything the epoch loop shares, resolved once. */
interface LoopState extends FineTuneArgs {
  source: FeatureSource
  optimizer: tf.Optimizer
  variables: tf.Variable[]
  classWeights: tf.Tensor1D | null
  orderRng: Rng
  augmentRng: Rng
  startedMs: number
  /** When the first epoch started: the ETA extrapolates epochs only, not the feature setup. */
  epochsStartedMs: number
}

/**
 * Fine-tunes a classifier with a seeded loop of its own: data order from src/data's `epochOrder`,
 * augmentation, `Math.random` and class weights all follow `seed`, so the same seed on the same
 * backend gives identical metrics. Frees every tensor it creates. Throws `ABLATE_TRAIN_NAN` on a
 * non-finite loss and `ABLATE_ABORTED` when `signal` aborts.
 */
export async function fineTune(args: FineTuneArgs): Promise<FineTuneResult> {
  checkPreparedData({ data: args.data, inputSize: args.classifier.inputSize })
  checkClassCount(args)
  throwIfAborted(args.signal, 'before training')

  return withSeededMathRandom({ seed: args.seed, run: () => runLoop(args) })
}

async function runLoop(args: FineTuneArgs): Promise<FineTuneResult> {
  const state = await startLoop(args)
  const early = args.config.earlyStopping
    ? new EarlyStopping(args.config.earlyStopping, args.classifier.trainable)
    : null
  try {
    return await trainEpochs(state, early)
  } finally {
    early?.dispose()
    state.optimizer.dispose()
    state.classWeights?.dispose()
  }
}

async function startLoop(args: FineTuneArgs): Promise<LoopState> {
  const { config, data, classifier, seed } = args
  const startedMs = performance.now()
  const augment = hasRandomAugmentation(config.augment) ? config.augment : null
  const recipe = { contrast: config.contrast, augment, preprocessing: classifier.preprocessing }
  const source = await createFeatureSource({
    classifier,
    data,
    recipe,
    cache: config.featureCache,
    cacheDir: config.cacheDir,
    batchSize: config.batchSize,
    ...(args.signal ? { signal: args.signal } : {}),
  })
  log(
    'features: %s; %d train, %d validation images',
    source.origin,
    data.split.train.length,
    data.split.validation.length,
  )

  return {
    ...args,
    source,
    optimizer: createOptimizer({ kind: config.optimizer, learningRate: config.learningRate }),
    variables: classifier.trainable.trainableWeights.map((weight) => weight.read() as tf.Variable),
    classWeights: createClassWeights(config, data),
    orderRng: createRng({ seed, purpose: 'order' }),
    augmentRng: createRng({ seed, purpose: 'augment' }),
    startedMs,
    epochsStartedMs: performance.now(),
  }
}

async function trainEpochs(state: LoopState, early: EarlyStopping | null): Promise<FineTuneResult> {
  const { config, data } = state
  const history: EpochRecord[] = []
  const numClasses = data.classNames.length
  const trainClassCounts = new Array<number>(numClasses).fill(0)
  let last: Evaluation | null = null
  let stoppedEarly = false
  for (let epoch = 0; epoch < config.epochs && !stoppedEarly; epoch++) {
    const { learningRate, order } = startEpoch(state, epoch)
    addCounts(trainClassCounts, countClasses({ labels: data.labels, indices: order, numClasses }))

    const loss = await trainEpoch(state, order, epoch)
    last = await evaluateValidation(state)
    history.push(recordEpoch({ state, epoch, loss, learningRate, evaluation: last }))
    emitProgress(state, history)
    stoppedEarly = early?.observe({ epoch: epoch + 1, evaluation: last }) ?? false
  }

  const best = early?.restoreBest() ?? { epoch: history.length, evaluation: last! }
  return finish({ state, history, best, stoppedEarly, trainClassCounts })
}

/** Sets the epoch's learning rate and draws its order of training images. */
function startEpoch(state: LoopState, epoch: number): { learningRate: number; order: Int32Array } {
  const { config, data } = state
  const learningRate = learningRateAt({
    schedule: config.lrSchedule,
    baseRate: config.learningRate,
    epoch,
    epochs: config.epochs,
  })
  setLearningRate(state.optimizer, learningRate)
  const order = epochOrder({
    indices: data.split.train,
    labels: data.labels,
    balance: config.balance,
    rng: state.orderRng,
  })
  return { learningRate, order }
}

async function trainEpoch(state: LoopState, order: Int32Array, epoch: number): Promise<number> {
  const { batchSize } = state.config
  const batches = Math.ceil(order.length / batchSize)
  let lossSum = 0
  for (let batch = 0; batch < batches; batch++) {
    throwIfAborted(state.signal, `at epoch ${epoch + 1}, batch ${batch + 1} of ${batches}`)
    const indices = order.subarray(batch * batchSize, (batch + 1) * batchSize)
    const loss = await trainStep(state, indices)
    if (!Number.isFinite(loss)) throw nanError({ state, loss, epoch, batch, batches })
    lossSum += loss * indices.length
    // Let timers and abort events run between batches: tfjs work here is synchronous.
    await new Promise<void>((resolve) => setImmediate(resolve))
  }
  return lossSum / order.length
}

async function trainStep(state: LoopState, indices: Int32Array): Promise<number> {
  const { source, classifier, augmentRng, classWeights, data } = state
  const features = source.features({ indices, rng: augmentRng })
  const labels = tf.tensor1d(
    Array.from(indices, (i) => data.labels[i]!),
    'int32',
  )
  try {
    const cost = state.optimizer.minimize(
      () => {
        const probabilities = classifier.trainable.apply(features, {
          training: true,
        }) as tf.Tensor2D
        return weightedCrossEntropy({ probabilities, labels, classWeights })
      },
      true,
      state.variables,
    )
    const value = (await cost!.data())[0]!
    cost!.dispose()
    return value
  } finally {
    tf.dispose([features, labels])
  }
}

function evaluateValidation(state: LoopState): Promise<Evaluation> {
  return evaluate({
    trainable: state.classifier.trainable,
    source: state.source,
    data: state.data,
    indices: state.data.split.validation,
    batchSize: state.config.batchSize,
  })
}

function recordEpoch(args: {
  state: LoopState
  epoch: number
  loss: number
  learningRate: number
  evaluation: Evaluation
}): EpochRecord {
  const { metrics, loss: validationLoss } = args.evaluation
  return {
    epoch: args.epoch + 1,
    loss: args.loss,
    validationLoss,
    f1Macro: metrics.f1Macro,
    f1Micro: metrics.f1Micro,
    f1Weighted: metrics.f1Weighted,
    accuracy: metrics.accuracy,
    learningRate: args.learningRate,
    elapsedMs: performance.now() - args.state.startedMs,
  }
}

function emitProgress(state: LoopState, history: EpochRecord[]): void {
  const record = history[history.length - 1]!
  const perEpochMs = (performance.now() - state.epochsStartedMs) / record.epoch
  state.onProgress?.({
    epoch: record.epoch,
    epochs: state.config.epochs,
    loss: record.loss,
    metrics: {
      f1Macro: record.f1Macro,
      f1Micro: record.f1Micro,
      f1Weighted: record.f1Weighted,
      accuracy: record.accuracy,
      validationLoss: record.validationLoss,
      learningRate: record.learningRate,
    },
    elapsedMs: record.elapsedMs,
    etaMs: perEpochMs * (state.config.epochs - record.epoch),
  })
}

function finish(args: {
  state: LoopState
  history: EpochRecord[]
  best: { epoch: number; evaluation: Evaluation }
  stoppedEarly: boolean
  trainClassCounts: number[]
}): FineTuneResult {
  const { state, history, best } = args
  const { labels, split, classNames } = state.data
  return {
    metrics: best.evaluation.metrics,
    validationLoss: best.evaluation.loss,
    history,
    epochsRun: history.length,
    bestEpoch: best.epoch,
    stoppedEarly: args.stoppedEarly,
    trainClassCounts: args.trainClassCounts,
    trainSplitClassCounts: countClasses({
      labels,
      indices: split.train,
      numClasses: classNames.length,
    }),
    validationClassCounts: countClasses({
      labels,
      indices: split.validation,
      numClasses: classNames.length,
    }),
    features: state.source.origin,
    durationMs: performance.now() - state.startedMs,
  }
}

function createClassWeights(config: ResolvedTrainConfig, data: PreparedData): tf.Tensor1D | null {
  if (config.balance !== 'class-weights') return null
  const labels = Array.from(data.split.train, (i) => data.labels[i]!)
  return tf.tensor1d(computeClassWeights({ labels, numClasses: data.classNames.length }))
}

function addCounts(total: number[], counts: number[]): void {
  counts.forEach((count, i) => {
    total[i] = (total[i] ?? 0) + count
  })
}

function checkClassCount(args: FineTuneArgs): void {
  const outputs = args.classifier.trainable.outputs[0]?.shape[1]
  const classes = args.data.classNames.length
  if (outputs === classes) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `fineTune: the classifier outputs ${outputs} classes but the data has ${classes} ` +
      `(${args.data.classNames.join(', ')}): build the classifier with numClasses ${classes}.`,
  )
}

function nanError(args: {
  state: LoopState
  loss: number
  epoch: number
  batch: number
  batches: number
}): AblateError {
  const { optimizer, learningRate } = args.state.config
  return new AblateError(
    'ABLATE_TRAIN_NAN',
    `Training loss became ${args.loss} at epoch ${args.epoch + 1}, batch ${args.batch + 1} of ` +
      `${args.batches} (optimizer ${optimizer}, learningRate ${learningRate}). Lower learningRate, ` +
      'or check the images and labels for invalid values.',
  )
}
