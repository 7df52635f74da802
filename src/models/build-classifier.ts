import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import type { Trainable } from '../train/config.js'
import { resolveImagenetWeights } from './imagenet-weights.js'
import { loadKerasWeights } from './keras-weights-read.js'
import { LayerKit } from './layer-kit.js'
import { deriveLayerSeed } from './layer-seed.js'
import { SeededDropout } from './seeded-dropout.js'
import { splitModelAt } from './split-model.js'
import type {
  ArchitectureSpec,
  BuildClassifierOptions,
  Classifier,
  ClassifierSummary,
  ResolvedBuildClassifierOptions,
} from './types.js'
import { getArchitectureSpec } from './zoo.js'

const log = createLogger('models')

/** Names of the head's layers, after the backbone. */
export const HEAD_LAYERS = {
  pool: 'avg_pool',
  dropout: 'top_dropout',
  dense: 'predictions',
} as const

/**
 * Builds an architecture of the zoo with a head (global average pooling, seeded dropout, dense
 * softmax), loads its weights and splits it for the freezing mode: 'frozen' trains the head on
 * pooled features, `{ lastStages: n }` the last n stages and the head, 'all' trains everything.
 */
export async function buildClassifier(options: BuildClassifierOptions): Promise<Classifier> {
  const spec = getArchitectureSpec(options.architecture)
  const resolved = resolveBuildClassifierOptions(options, spec)

  const model = buildFullModel(resolved, spec)
  try {
    await loadWeights(resolved, spec, model)
  } catch (error) {
    model.dispose()
    throw error
  }
  const cutLayer = cutLayerFor(resolved.trainable, spec)
  const { frozen, trainable } = splitForTraining({ model, cutLayer })

  log(
    'built %s %dpx, %d params, trainable mode %o',
    spec.name,
    resolved.inputSize,
    model.countParams(),
    resolved.trainable,
  )
  return {
    architecture: spec.name,
    inputSize: resolved.inputSize,
    numClasses: resolved.numClasses,
    preprocessing: spec.preprocessing,
    trainableMode: resolved.trainable,
    model,
    frozen,
    trainable,
    featureShape: (trainable.inputs[0]?.shape.slice(1) ?? []) as number[],
    cutLayer,
  }
}

/** Fills in defaults and checks every option, naming the bad value. */
export function resolveBuildClassifierOptions(
  options: BuildClassifierOptions,
  spec: ArchitectureSpec = getArchitectureSpec(options.architecture),
): ResolvedBuildClassifierOptions {
  const resolved = {
    architecture: spec.name,
    numClasses: options.numClasses,
    inputSize: options.inputSize ?? spec.defaultInputSize,
    dropout: options.dropout ?? 0,
    weights: options.weights ?? null,
    trainable: options.trainable ?? 'frozen',
    seed: options.seed,
  }

  const invalid = (message: string) => new AblateError('ABLATE_SPEC_INVALID', message)
  if (!Number.isInteger(resolved.numClasses) || resolved.numClasses < 2) {
    throw invalid(`numClasses must be an integer >= 2, got ${resolved.numClasses}`)
  }
  if (!Number.isInteger(resolved.inputSize) || resolved.inputSize < spec.minInputSize) {
    throw invalid(
      `inputSize of ${spec.name} must be an integer >= ${spec.minInputSize}, got ${resolved.inputSize}`,
    )
  }
  if (!(resolved.dropout >= 0 && resolved.dropout < 1)) {
    throw invalid(`dropout must be in [0, 1), got ${resolved.dropout}`)
  }
  if (!Number.isSafeInteger(resolved.seed))
    throw invalid(`seed must be an integer, got ${resolved.seed}`)
  cutLayerFor(resolved.trainable, spec)
  return resolved
}

function buildFullModel(options: ResolvedBuildClassifierOptions, spec: ArchitectureSpec) {
  const kit = new LayerKit(options.seed)
  const size = options.inputSize
  const input = tf.input({ shape: [size, size, 3], name: 'input_1' })
  const features = spec.buildBackbone({ input, kit })

  const pooled = tf.layers.globalAveragePooling2d({ name: HEAD_LAYERS.pool }).apply(features)
  const dropoutSeed = deriveLayerSeed({ seed: options.seed, name: HEAD_LAYERS.dropout })
  const dropout = new SeededDropout({
    name: HEAD_LAYERS.dropout,
    rate: options.dropout,
    seed: dropoutSeed,
  })
  const dense = tf.layers.dense({
    name: HEAD_LAYERS.dense,
    units: options.numClasses,
    activation: 'softmax',
    kernelInitializer: kit.glorot(HEAD_LAYERS.dense),
  })
  const output = dense.apply(dropout.apply(pooled)) as tf.SymbolicTensor
  return tf.model({ inputs: input, outputs: output, name: spec.name.replace('-', '_') })
}

async function loadWeights(
  options: ResolvedBuildClassifierOptions,
  spec: ArchitectureSpec,
  model: tf.LayersModel,
): Promise<void> {
  if (options.weights === null) return
  const path =
    options.weights === 'imagenet'
      ? await resolveImagenetWeights({ architecture: spec.name })
      : options.weights

  const summary = await loadKerasWeights({ model, path, exclude: [HEAD_LAYERS.dense] })
  const missing = summary.notInFile.filter((name) => name !== HEAD_LAYERS.dense)
  if (missing.length > 0) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `'${path}' lacks weights for ${missing.length} layers of ${spec.name}, e.g. ` +
        `'${missing.slice(0, 3).join("', '")}': is it a file for another architecture?`,
    )
  }
}

/** The layer whose output ends the frozen part, or null when everything trains. */
function cutLayerFor(trainable: Trainable, spec: ArchitectureSpec): string | null {
  if (trainable === 'all') return null
  if (trainable === 'frozen') return HEAD_LAYERS.pool
  const stages = spec.stageEnds.length - 1
  const n = trainable.lastStages
  if (!Number.isInteger(n) || n < 0 || n > stages) {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      `trainable.lastStages of ${spec.name} must be an integer in 0..${stages}, got ${n}`,
    )
  }
  return n === 0 ? HEAD_LAYERS.pool : spec.stageEnds[stages - n]!
}

function splitForTraining(args: { model: tf.LayersModel; cutLayer: string | null }): {
  frozen: tf.LayersModel | null
  trainable: tf.LayersModel
} {
  const layerName = args.cutLayer
  if (layerName === null) return { frozen: null, trainable: args.model }

  const { head, tail } = splitModelAt({ model: args.model, layerName })
  for (const layer of head.layers) layer.trainable = false
  return { frozen: head, trainable: tail }
}

/** Parameter counts of a classifier and where it is cut. */
export function summarizeClassifier(classifier: Classifier): ClassifierSummary {
  const count = (model: tf.LayersModel | null) => model?.countParams() ?? 0
  return {
    architecture: classifier.architecture,
    inputSize: classifier.inputSize,
    numClasses: classifier.numClasses,
    cutLayer: classifier.cutLayer,
    params: count(classifier.model),
    trainableParams: count(classifier.trainable),
    frozenParams: count(classifier.frozen),
  }
}
