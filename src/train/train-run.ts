import { createHash } from 'node:crypto'
import { join, relative, resolve } from 'node:path'
import type { BackendInfo } from '../backend/index.js'
import { initBackend } from '../backend/index.js'
import {
  decodeImages,
  listUnlabelledImages,
  loadLabelledImages,
  type SkippedImage,
  stratifiedSplit,
  type UnlabelledImages,
} from '../data/index.js'
import { buildClassifier, type Classifier } from '../models/index.js'
import type { RunContext, RunResult } from '../spec/run.js'
import type { TrainConfig } from './config.js'
import { type FineTuneResult, fineTune } from './fine-tune.js'
import { fingerprintTrainConfig } from './fingerprint.js'
import { predictImages } from './predict.js'
import type { PreparedData } from './prepared-data.js'
import { releaseClassifier } from './release-classifier.js'
import { type ResolvedTrainConfig, resolveTrainConfig } from './resolved-config.js'
import { deriveSeed, withSeededMathRandom } from './seed-streams.js'

/** Decoded images of one data config at one size, shared by every run of the process. */
interface LoadedImages {
  images: PreparedData['images']
  labels: Int32Array
  classNames: string[]
  identity: string
  /** Files left out by listing or decoding (`data.skipUnreadable`), absolute paths. */
  skipped: SkippedImage[]
}

/** Run details of the predict folder; paths relative to it. */
interface PredictDetails {
  predictions: { path: string; label: string; probabilities: number[] }[]
  predictionsSkipped: SkippedImage[]
}

// Shortcoming: one entry per (data config, size) for the life of the process, never evicted. A study
// uses one or two sizes; drop entries (or reuse the image cache's bound in src/data) when one sweeps many sizes.
const loaded = new Map<string, Promise<LoadedImages>>()

/**
 * The default run of a spec: loads and decodes the data (cached per process and on disk), splits it
 * with the fixed split seed, builds the classifier with initial weights seeded from the run seed,
 * fine-tunes it (frozen-backbone features cached where allowed), scores the validation split and,
 * with `data.predictDir`, classifies that folder's images. `trainRun.fingerprint(config)`
 * identifies the data files, the predict folder and the weights for the run store's key.
 */
export const trainRun = Object.assign(runTraining, { fingerprint: fingerprintTrainConfig })

async function runTraining(context: RunContext<TrainConfig>): Promise<RunResult> {
  const config = resolveTrainConfig(context.config)
  const backend = await initBackend({ backend: config.backend })
  const source = await listImages(config)
  // Listed before training, so that a bad predict folder fails in seconds rather than after the run.
  const toPredict = await listPredictImages(config)

  const classifier = await withSeededMathRandom({
    seed: context.seed,
    run: () =>
      buildClassifierFor({ config, numClasses: source.classNames.length, seed: context.seed }),
  })
  try {
    const { data, skipped } = await prepareData({
      config,
      size: classifier.inputSize,
      seed: context.seed,
    })
    const result = await fineTune({
      classifier,
      data,
      config,
      seed: context.seed,
      signal: context.signal,
      ...(context.onProgress ? { onProgress: context.onProgress } : {}),
    })
    const predicted = await predictFolder({
      classifier,
      config,
      listed: toPredict,
      classNames: data.classNames,
    })
    return toRunResult({ result, backend, data, classifier, skipped, predicted })
  } finally {
    releaseClassifier(classifier)
  }
}

function listImages(config: ResolvedTrainConfig) {
  const { dir, csv, classes, skipUnreadable } = config.data
  return loadLabelledImages({
    ...(dir === null ? {} : { dir }),
    ...(csv === null ? {} : { csv }),
    ...(classes === null ? {} : { classNames: classes }),
    skipUnreadable,
  })
}

function listPredictImages(config: ResolvedTrainConfig): Promise<UnlabelledImages | null> {
  const { predictDir, skipUnreadable } = config.data
  if (predictDir === null) return Promise.resolve(null)
  return listUnlabelledImages({ dir: predictDir, skipUnreadable })
}

/**
 * Classifies the predict folder's images with the trained classifier, as training saw images;
 * null without a predict folder.
 */
async function predictFolder(args: {
  classifier: Classifier
  config: ResolvedTrainConfig
  listed: UnlabelledImages | null
  classNames: string[]
}): Promise<PredictDetails | null> {
  const { classifier, config, listed } = args
  if (listed === null) return null
  const { predictions, skipped } = await predictImages({
    classifier,
    paths: listed.paths,
    classNames: args.classNames,
    size: classifier.inputSize,
    resize: config.data.resize,
    contrast: config.contrast,
    cacheDir: join(config.cacheDir, 'images'),
    batchSize: config.batchSize,
    skipUnreadable: config.data.skipUnreadable,
  })

  const root = resolve(config.data.predictDir as string)
  return {
    predictions: predictions.map((p) => ({
      path: relative(root, p.path),
      label: p.label,
      probabilities: p.probabilities.map((v) => Math.round(v * 1e6) / 1e6),
    })),
    predictionsSkipped: relativeSkips(root, [...listed.skipped, ...skipped]),
  }
}

function relativeSkips(root: string, skipped: readonly SkippedImage[]): SkippedImage[] {
  return skipped.map((s) => ({ path: relative(root, s.path), reason: s.reason }))
}

function buildClassifierFor(args: {
  config: ResolvedTrainConfig
  numClasses: number
  seed: number
}): Promise<Classifier> {
  const { config } = args
  return buildClassifier({
    architecture: config.architecture,
    numClasses: args.numClasses,
    ...(config.data.imageSize === null ? {} : { inputSize: config.data.imageSize }),
    dropout: config.dropout,
    weights: config.weights,
    trainable: config.trainable,
    seed: deriveSeed({ seed: args.seed, purpose: 'init' }),
  })
}

/** Decoded images (memoised per data config and size) plus this run's split. */
async function prepareData(args: {
  config: ResolvedTrainConfig
  size: number
  seed: number
}): Promise<{ data: PreparedData; skipped: SkippedImage[] }> {
  const { config, size } = args
  // The predict folder shapes no training image: runs that differ only there share the decode.
  const { predictDir: _predictDir, ...data } = config.data
  const key = JSON.stringify({ ...data, size, cacheDir: config.cacheDir })
  let images = loaded.get(key)
  if (images === undefined) {
    images = loadImages(config, size)
    loaded.set(key, images)
    images.catch(() => loaded.delete(key))
  }
  const source = await images

  const splitSeed = config.data.splitVariesWithSeed ? args.seed : config.data.splitSeed
  const split = stratifiedSplit({
    labels: source.labels,
    classNames: source.classNames,
    validationFraction: config.data.validationSplit,
    seed: splitSeed,
  })
  const { images: pixels, labels, classNames, identity } = source
  return { data: { images: pixels, labels, classNames, split, identity }, skipped: source.skipped }
}

async function loadImages(config: ResolvedTrainConfig, size: number): Promise<LoadedImages> {
  const listed = await listImages(config)
  const decoded = await decodeImages({
    paths: listed.items.map((item) => item.path),
    size,
    resize: config.data.resize,
    cacheDir: join(config.cacheDir, 'images'),
    skipUnreadable: config.data.skipUnreadable,
  })
  const labels = Int32Array.from(decoded.kept, (i) => listed.items[i]!.label)
  // The decoded pixels themselves, hashed once per process: whatever shapes them (files, size,
  // resize mode, decoder version) is in the identity, and the feature cache can never mix them up.
  const identity = createHash('sha256')
    .update(`${decoded.n}x${decoded.size}:`)
    .update(decoded.pixels)
    .digest('hex')
  return {
    images: { pixels: decoded.pixels, n: decoded.n, size: decoded.size },
    labels,
    classNames: listed.classNames,
    identity,
    skipped: [...listed.skipped, ...decoded.skipped],
  }
}

function toRunResult(args: {
  result: FineTuneResult
  backend: BackendInfo
  data: PreparedData
  classifier: Classifier
  skipped: SkippedImage[]
  predicted: PredictDetails | null
}): RunResult {
  const { result, data, classifier } = args
  const { metrics } = result
  return {
    metrics: {
      f1Macro: metrics.f1Macro,
      f1Micro: metrics.f1Micro,
      f1Weighted: metrics.f1Weighted,
      accuracy: metrics.accuracy,
    },
    details: {
      perClass: metrics.perClass,
      confusion: metrics.confusion,
      history: result.history,
      backend: args.backend,
      classNames: data.classNames,
      trainClassCounts: result.trainClassCounts,
      trainSplitClassCounts: result.trainSplitClassCounts,
      validationClassCounts: result.validationClassCounts,
      epochsRun: result.epochsRun,
      bestEpoch: result.bestEpoch,
      stoppedEarly: result.stoppedEarly,
      validationLoss: result.validationLoss,
      features: result.features,
      architecture: classifier.architecture,
      imageSize: classifier.inputSize,
      skippedImages: args.skipped.length,
      skipped: relativeSkips(process.cwd(), args.skipped),
      durationMs: result.durationMs,
      ...(args.predicted ?? {}),
    },
  }
}
