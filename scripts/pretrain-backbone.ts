/**
 * Pretrains the compact backbone on Fashion-MNIST's seven classes that the fine-tuning fixture does
 * not use (Trouser, Dress, Coat, Sandal, Sneaker, Bag, Ankle boot), so that T-shirt/top, Pullover and
 * Shirt stay truly unseen, and writes its backbone (no head) as a Keras 2 .h5 file through src/models'
 * writer: the same weights path as ImageNet files. Deterministic: fixed image choice (first images of
 * each class in file order), seeded initialisation, seeded batch order, seeded `Math.random`, one
 * backend (wasm, one thread); the same inputs give the same file on the same backend.
 *
 *   npx tsx scripts/pretrain-backbone.ts
 *
 * Writes fixtures/backbone/compact-resnet-fmnist7.h5 and compact-resnet-fmnist7.json (the record of
 * what was trained and its held-out accuracy, which fixtures/README.md quotes).
 */
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs'
import seedrandom from 'seedrandom'
import {
  FASHION_MNIST_CLASSES,
  type FashionMnistPart,
  firstOfClass,
  imageAt,
  readFashionMnist,
} from '../fixtures/fashion-mnist.js'
import { initBackend } from '../src/backend/index.js'
import { decodeImages, toModelInput } from '../src/data/index.js'
import { buildClassifier, writeKerasWeights } from '../src/models/index.js'
import { writeGreyAsRgbPng } from './make-fixtures.js'

/** Everything that decides the weights; written next to the .h5 file as its record. */
const RECIPE = {
  architecture: 'compact-resnet' as const,
  labels: [1, 3, 4, 5, 7, 8, 9],
  trainPerClass: Number(process.env.PRETRAIN_PER_CLASS ?? 400),
  heldOutPerClass: 300,
  inputSize: 32,
  epochs: Number(process.env.PRETRAIN_EPOCHS ?? 6),
  batchSize: 64,
  learningRate: 1e-3,
  seed: 7,
  backend: 'wasm' as const,
}

const OUT_DIR = 'fixtures/backbone'
const OUT_NAME = 'compact-resnet-fmnist7'

interface ImageSet {
  pixels: Uint8Array
  labels: Int32Array
  n: number
}

/** Writes the chosen images as PNG and decodes them through src/data, exactly as the bench will. */
async function prepareSet(args: {
  part: FashionMnistPart
  perClass: number
  dir: string
}): Promise<ImageSet> {
  const paths: string[] = []
  const labels: number[] = []
  for (const [classIndex, label] of RECIPE.labels.entries()) {
    const indices = firstOfClass({ labels: args.part.labels, label, count: args.perClass })
    for (const index of indices) {
      const path = join(args.dir, `${label}-${index}.png`)
      const grey = imageAt(args.part, index)
      await writeGreyAsRgbPng({ grey, width: args.part.cols, height: args.part.rows, path })
      paths.push(path)
      labels.push(classIndex)
    }
  }

  const decoded = await decodeImages({ paths, size: RECIPE.inputSize, cacheDir: null })
  return { pixels: decoded.pixels, labels: Int32Array.from(labels), n: decoded.n }
}

function batchTensors(args: {
  set: ImageSet
  indices: ArrayLike<number>
  preprocessing: 'caffe' | 'tf' | 'torch'
}) {
  const side = RECIPE.inputSize
  const stride = side * side * 3
  const pixels = new Float32Array(args.indices.length * stride)
  const labels = new Int32Array(args.indices.length)
  for (let i = 0; i < args.indices.length; i++) {
    const at = args.indices[i] ?? 0
    pixels.set(args.set.pixels.subarray(at * stride, (at + 1) * stride), i * stride)
    labels[i] = args.set.labels[at] ?? 0
  }
  return tf.tidy(() => {
    const images = tf.tensor4d(pixels, [args.indices.length, side, side, 3])
    const x = toModelInput({ images, preprocessing: args.preprocessing })
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), RECIPE.labels.length)
    return { x, y }
  })
}

/** Fisher-Yates with a seeded stream: the batch order of every epoch is fixed by the seed. */
function shuffled(n: number, rng: () => number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const swap = order[i] ?? 0
    order[i] = order[j] ?? 0
    order[j] = swap
  }
  return order
}

async function trainEpochs(args: {
  model: tf.LayersModel
  set: ImageSet
  preprocessing: 'caffe' | 'tf' | 'torch'
}) {
  const rng = seedrandom(`pretrain-order-${RECIPE.seed}`)
  for (let epoch = 1; epoch <= RECIPE.epochs; epoch++) {
    const order = shuffled(args.set.n, rng)
    const started = performance.now()
    let lossSum = 0
    let batches = 0
    for (let at = 0; at < order.length; at += RECIPE.batchSize) {
      const indices = order.subarray(at, at + RECIPE.batchSize)
      const { x, y } = batchTensors({ set: args.set, indices, preprocessing: args.preprocessing })
      try {
        const loss = await args.model.trainOnBatch(x, y)
        lossSum += Array.isArray(loss) ? (loss[0] ?? Number.NaN) : loss
        batches++
      } finally {
        tf.dispose([x, y])
      }
    }
    const seconds = (performance.now() - started) / 1000
    console.log(
      `epoch ${epoch}/${RECIPE.epochs}: loss ${(lossSum / batches).toFixed(4)}, ${seconds.toFixed(1)} s`,
    )
  }
}

async function measureAccuracy(args: {
  model: tf.LayersModel
  set: ImageSet
  preprocessing: 'caffe' | 'tf' | 'torch'
}): Promise<number> {
  let correct = 0
  for (let at = 0; at < args.set.n; at += 256) {
    const indices = Int32Array.from({ length: Math.min(256, args.set.n - at) }, (_, i) => at + i)
    const { x, y } = batchTensors({ set: args.set, indices, preprocessing: args.preprocessing })
    const hits = tf.tidy(() => {
      const predicted = (args.model.predict(x) as tf.Tensor).argMax(-1)
      return predicted.equal(y.argMax(-1)).sum()
    })
    correct += (await hits.data())[0] ?? 0
    tf.dispose([x, y, hits])
  }
  return correct / args.set.n
}

/** The backbone alone (image to pooled features): what a notop .h5 file holds. */
function backboneOf(model: tf.LayersModel): tf.LayersModel {
  const pool = model.layers.find((layer) => layer.getClassName() === 'GlobalAveragePooling2D')
  if (!pool) throw new Error('expected a GlobalAveragePooling2D layer in the compact-resnet model')
  return tf.model({ inputs: model.inputs, outputs: pool.output as tf.SymbolicTensor })
}

async function md5Of(path: string): Promise<string> {
  return createHash('md5')
    .update(await readFile(path))
    .digest('hex')
}

async function main() {
  const backend = await initBackend({ backend: RECIPE.backend })
  const savedRandom = Math.random
  Math.random = seedrandom(`pretrain-math-${RECIPE.seed}`)
  const work = await mkdtemp(join(tmpdir(), 'ablate-fmnist7-'))
  const started = performance.now()
  try {
    const [train, t10k] = await Promise.all([
      readFashionMnist({ part: 'train' }),
      readFashionMnist({ part: 't10k' }),
    ])
    await Promise.all([mkdir(join(work, 'train')), mkdir(join(work, 'heldout'))])
    const trainSet = await prepareSet({
      part: train,
      perClass: RECIPE.trainPerClass,
      dir: join(work, 'train'),
    })
    const heldOut = await prepareSet({
      part: t10k,
      perClass: RECIPE.heldOutPerClass,
      dir: join(work, 'heldout'),
    })

    const classifier = await buildClassifier({
      architecture: RECIPE.architecture,
      numClasses: RECIPE.labels.length,
      inputSize: RECIPE.inputSize,
      weights: null,
      trainable: 'all',
      seed: RECIPE.seed,
    })
    classifier.model.compile({
      optimizer: tf.train.adam(RECIPE.learningRate),
      loss: 'categoricalCrossentropy',
    })
    const preprocessing = classifier.preprocessing
    await trainEpochs({ model: classifier.model, set: trainSet, preprocessing })
    const trainAccuracy = await measureAccuracy({
      model: classifier.model,
      set: trainSet,
      preprocessing,
    })
    const heldOutAccuracy = await measureAccuracy({
      model: classifier.model,
      set: heldOut,
      preprocessing,
    })

    await mkdir(OUT_DIR, { recursive: true })
    const h5Path = join(OUT_DIR, `${OUT_NAME}.h5`)
    const tmpPath = join(OUT_DIR, `.${OUT_NAME}.h5.tmp`)
    await writeKerasWeights({ model: backboneOf(classifier.model), path: tmpPath })
    await rename(tmpPath, h5Path)

    const record = {
      ...RECIPE,
      classNames: RECIPE.labels.map((l) => FASHION_MNIST_CLASSES[l]),
      trainImages: trainSet.n,
      heldOutImages: heldOut.n,
      heldOutSource: 'first images of each class in t10k (Fashion-MNIST test file)',
      trainAccuracy,
      heldOutAccuracy,
      wallSeconds: Math.round((performance.now() - started) / 1000),
      backendInfo: backend,
      md5: await md5Of(h5Path),
    }
    await writeFile(join(OUT_DIR, `${OUT_NAME}.json`), `${JSON.stringify(record, null, 2)}\n`)
    console.log(JSON.stringify(record, null, 2))
  } finally {
    Math.random = savedRandom
    await rm(work, { recursive: true, force: true })
  }
}

await main()
