import { AblateError } from '../errors.js'
import type {
  Architecture,
  AugmentConfig,
  BackendName,
  DataConfig,
  Trainable,
  TrainConfig,
} from './config.js'

/** Validation metrics that early stopping can watch; `'loss'` is minimised, the others maximised. */
export type MonitoredMetric = 'f1Macro' | 'f1Micro' | 'f1Weighted' | 'accuracy' | 'loss'

/** `DataConfig` with every default applied; `imageSize: null` means the architecture's own size. */
export interface ResolvedDataConfig {
  dir: string | null
  csv: string | null
  /** The given class list (checked: non-empty, unique, non-empty strings), or null for the default. */
  classes: string[] | null
  imageSize: number | null
  resize: 'stretch' | 'cover' | 'contain'
  validationSplit: number
  splitSeed: number
  splitVariesWithSeed: boolean
  skipUnreadable: boolean
  /** The folder of unlabelled images every run classifies after training, or null for none. */
  predictDir: string | null
}

/** `TrainConfig` with every default applied and every value checked, resolved once per run. */
export interface ResolvedTrainConfig {
  data: ResolvedDataConfig
  architecture: Architecture
  weights: 'imagenet' | string | null
  trainable: Trainable
  dropout: number
  contrast: number
  augment: Required<AugmentConfig>
  balance: 'none' | 'sampler' | 'class-weights'
  epochs: number
  batchSize: number
  learningRate: number
  optimizer: 'adam' | 'sgd' | 'rmsprop'
  lrSchedule: { kind: 'cosine' } | { kind: 'step'; everyEpochs: number; factor: number } | null
  earlyStopping: { patience: number; metric: MonitoredMetric } | null
  backend: BackendName
  featureCache: 'disk' | 'memory' | 'off'
  cacheDir: string
}

const RESIZE_MODES: readonly ResolvedDataConfig['resize'][] = ['stretch', 'cover', 'contain']

const MONITORED: readonly MonitoredMetric[] = [
  'f1Macro',
  'f1Micro',
  'f1Weighted',
  'accuracy',
  'loss',
]

/**
 * Applies the defaults documented on `TrainConfig` and checks every value, so that the training
 * loop never meets a bad one. Throws `ABLATE_TRAIN_CONFIG_INVALID` naming the option and value.
 */
export function resolveTrainConfig(config: TrainConfig = {}): ResolvedTrainConfig {
  const architecture = config.architecture ?? 'compact-resnet'
  const resolved: ResolvedTrainConfig = {
    data: resolveDataConfig(config.data ?? {}),
    architecture,
    weights: config.weights === undefined ? defaultWeights(architecture) : config.weights,
    trainable: config.trainable ?? 'frozen',
    dropout: config.dropout ?? 0,
    contrast: config.contrast ?? 1,
    augment: resolveAugment(config.augment ?? {}),
    balance: config.balance ?? 'none',
    epochs: config.epochs ?? 10,
    batchSize: config.batchSize ?? 32,
    learningRate: config.learningRate ?? 1e-3,
    optimizer: config.optimizer ?? 'adam',
    lrSchedule: config.lrSchedule ?? null,
    earlyStopping: resolveEarlyStopping(config.earlyStopping),
    backend: config.backend ?? 'auto',
    featureCache: config.featureCache ?? 'disk',
    cacheDir: config.cacheDir ?? '.ablate/cache',
  }

  checkTrainConfig(resolved)
  return resolved
}

/** True when the augmentation draws anything at random (then backbone features cannot be cached). */
export function hasRandomAugmentation(augment: Required<AugmentConfig>): boolean {
  return (
    augment.flip !== false ||
    augment.rotationDeg > 0 ||
    augment.contrast > 0 ||
    augment.translate > 0 ||
    augment.zoom > 0
  )
}

function defaultWeights(architecture: Architecture): 'imagenet' | null {
  // The compact ResNet has no published ImageNet weights; every other zoo model has.
  return architecture === 'compact-resnet' ? null : 'imagenet'
}

function resolveDataConfig(data: DataConfig): ResolvedDataConfig {
  return {
    dir: data.dir ?? null,
    csv: data.csv ?? null,
    classes: data.classes ?? null,
    imageSize: data.imageSize ?? null,
    resize: data.resize ?? 'stretch',
    validationSplit: data.validationSplit ?? 0.2,
    splitSeed: data.splitSeed ?? 42,
    splitVariesWithSeed: data.splitVariesWithSeed ?? false,
    skipUnreadable: data.skipUnreadable ?? false,
    predictDir: data.predictDir ?? null,
  }
}

function resolveAugment(augment: AugmentConfig): Required<AugmentConfig> {
  return {
    flip: augment.flip ?? false,
    rotationDeg: augment.rotationDeg ?? 0,
    contrast: augment.contrast ?? 0,
    translate: augment.translate ?? 0,
    zoom: augment.zoom ?? 0,
  }
}

function resolveEarlyStopping(
  earlyStopping: TrainConfig['earlyStopping'],
): ResolvedTrainConfig['earlyStopping'] {
  if (earlyStopping === undefined) return null
  const metric = earlyStopping.metric ?? 'f1Macro'
  if (!(MONITORED as readonly string[]).includes(metric)) {
    fail(`earlyStopping.metric must be one of ${MONITORED.join(', ')}; got '${metric}'`)
  }
  return { patience: earlyStopping.patience, metric: metric as MonitoredMetric }
}

function checkTrainConfig(config: ResolvedTrainConfig): void {
  checkInteger('epochs', config.epochs, 1)
  checkInteger('batchSize', config.batchSize, 1)
  checkRange('learningRate', config.learningRate, 0, Number.POSITIVE_INFINITY)
  checkRange('contrast', config.contrast, 0, Number.POSITIVE_INFINITY)
  checkDataConfig(config.data)
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    fail(`dropout must lie in [0, 1); got ${config.dropout}`)
  }
  if (config.data.imageSize !== null) checkInteger('data.imageSize', config.data.imageSize, 1)
  if (config.earlyStopping) checkInteger('earlyStopping.patience', config.earlyStopping.patience, 1)
  if (config.lrSchedule?.kind === 'step') {
    checkInteger('lrSchedule.everyEpochs', config.lrSchedule.everyEpochs, 1)
    checkRange('lrSchedule.factor', config.lrSchedule.factor, 0, Number.POSITIVE_INFINITY)
  }
}

function checkDataConfig(data: ResolvedDataConfig): void {
  checkRange('data.validationSplit', data.validationSplit, 0, 1)
  if (!(RESIZE_MODES as readonly unknown[]).includes(data.resize)) {
    fail(
      `data.resize must be one of ${RESIZE_MODES.map((m) => `'${m}'`).join(', ')}; got ` +
        `${JSON.stringify(data.resize)}. Use one of those, or leave it out for 'stretch'`,
    )
  }
  if (data.classes !== null) checkClasses(data.classes)
}

/** The class list: a non-empty array of distinct, non-empty strings. */
function checkClasses(classes: unknown): void {
  if (!Array.isArray(classes) || classes.length === 0) {
    fail(
      `data.classes must be a non-empty array of class names; got ${JSON.stringify(classes)}. ` +
        'List the classes in index order, or leave it out to take them from the data',
    )
  }
  const bad = classes.findIndex((name) => typeof name !== 'string' || name === '')
  if (bad >= 0) {
    fail(
      `data.classes must hold non-empty strings; got ${String(JSON.stringify(classes[bad]))} in ` +
        `${JSON.stringify(classes)}. Write each class as its folder name or CSV label`,
    )
  }
  const repeated = classes.find((name, i) => classes.indexOf(name) !== i)
  if (repeated !== undefined) {
    fail(
      `data.classes must not repeat a class; got '${repeated}' twice in ` +
        `${JSON.stringify(classes)}. List each class once`,
    )
  }
}

function checkInteger(option: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    fail(`${option} must be an integer >= ${min}; got ${value}`)
  }
}

function checkRange(option: string, value: number, above: number, below: number): void {
  if (!(value > above && value < below)) {
    fail(`${option} must lie strictly between ${above} and ${below}; got ${value}`)
  }
}

function fail(message: string): never {
  throw new AblateError('ABLATE_TRAIN_CONFIG_INVALID', `Invalid training config: ${message}.`)
}
