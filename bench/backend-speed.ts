/**
 * Training and inference speed per available tfjs backend: `npx tsx bench/backend-speed.ts`.
 * Prints img/s and GFLOP/s for a compact ResNet (~176k parameters) at 32x32 and for ResNet50 at
 * 96x96; never asserts. Options: `--only=small|resnet50`, `--backends=wasm,cpu`, `--steps=N`.
 * The architectures are built here with tf.layers in Keras' layout so the bench does not depend on
 * src/models; swap in buildClassifier once the zoo lands (same layers, same counts).
 */
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import * as tf from '@tensorflow/tfjs'
import { initBackend } from '../src/backend/index.js'

interface Case {
  name: string
  build: () => tf.LayersModel
  size: number
  batch: number
  classes: number
  /** Backends to skip for this case, with the reason printed. */
  skip: Record<string, string>
}

const args = new Map(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]),
)
const steps = Number(args.get('steps') ?? 5)

function conv(
  x: tf.SymbolicTensor,
  filters: number,
  kernel: number,
  strides: number,
  name: string,
) {
  return tf.layers
    .conv2d({ filters, kernelSize: kernel, strides, padding: 'same', useBias: false, name })
    .apply(x) as tf.SymbolicTensor
}

function bnRelu(x: tf.SymbolicTensor, name: string, relu = true): tf.SymbolicTensor {
  const y = tf.layers.batchNormalization({ name: `${name}_bn` }).apply(x) as tf.SymbolicTensor
  return relu ? (tf.layers.activation({ activation: 'relu' }).apply(y) as tf.SymbolicTensor) : y
}

function basicBlock(x: tf.SymbolicTensor, filters: number, strides: number, name: string) {
  const inFilters = x.shape[3]
  let y = bnRelu(conv(x, filters, 3, strides, `${name}_1_conv`), `${name}_1`)
  y = bnRelu(conv(y, filters, 3, 1, `${name}_2_conv`), `${name}_2`, false)
  const shortcut =
    strides === 1 && inFilters === filters
      ? x
      : bnRelu(conv(x, filters, 1, strides, `${name}_0_conv`), `${name}_0`, false)
  const sum = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor
}

/** ResNet-14 for 32x32: 16/32/64 filters, two basic blocks per stage: 175,258 parameters. */
export function buildSmallResnet(classes: number): tf.LayersModel {
  const input = tf.input({ shape: [32, 32, 3] })
  let x = bnRelu(conv(input, 16, 3, 1, 'stem_conv'), 'stem')
  for (const [stage, filters] of [16, 32, 64].entries()) {
    for (const block of [0, 1]) {
      x = basicBlock(x, filters, stage > 0 && block === 0 ? 2 : 1, `s${stage}b${block}`)
    }
  }
  return head(input, x, classes)
}

function bottleneck(x: tf.SymbolicTensor, filters: number, strides: number, name: string) {
  const projection = x.shape[3] !== filters * 4 || strides !== 1
  let y = bnRelu(conv(x, filters, 1, strides, `${name}_1_conv`), `${name}_1`)
  y = bnRelu(conv(y, filters, 3, 1, `${name}_2_conv`), `${name}_2`)
  y = bnRelu(conv(y, filters * 4, 1, 1, `${name}_3_conv`), `${name}_3`, false)
  const shortcut = projection
    ? bnRelu(conv(x, filters * 4, 1, strides, `${name}_0_conv`), `${name}_0`, false)
    : x
  const sum = tf.layers.add().apply([y, shortcut]) as tf.SymbolicTensor
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor
}

/** ResNet50 (Keras layout: 7x7 stem, 3-4-6-3 bottlenecks), all layers trainable. */
export function buildResnet50(size: number, classes: number): tf.LayersModel {
  const input = tf.input({ shape: [size, size, 3] })
  let x = bnRelu(conv(input, 64, 7, 2, 'conv1_conv'), 'conv1')
  x = tf.layers
    .maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })
    .apply(x) as tf.SymbolicTensor
  const stages: [number, number][] = [
    [64, 3],
    [128, 4],
    [256, 6],
    [512, 3],
  ]
  for (const [i, [filters, blocks]] of stages.entries()) {
    for (let b = 0; b < blocks; b++) {
      x = bottleneck(x, filters, i > 0 && b === 0 ? 2 : 1, `conv${i + 2}_block${b + 1}`)
    }
  }
  return head(input, x, classes)
}

function head(input: tf.SymbolicTensor, x: tf.SymbolicTensor, classes: number) {
  const pooled = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor
  const out = tf.layers.dense({ units: classes, activation: 'softmax' }).apply(pooled)
  return tf.model({ inputs: input, outputs: out as tf.SymbolicTensor })
}

/** Multiply-adds x2 of the convolutions and dense layers of one forward pass of one image. */
function forwardFlops(model: tf.LayersModel): number {
  let flops = 0
  for (const layer of model.layers) {
    const cls = layer.getClassName()
    const out = layer.outputShape as number[]
    const kernel = layer.getWeights()[0]
    if (kernel === undefined || (cls !== 'Conv2D' && cls !== 'Dense')) continue
    const [oh = 1, ow = 1] = cls === 'Conv2D' ? [out[1]!, out[2]!] : []
    flops += 2 * oh * ow * kernel.size
  }
  return flops
}

async function measure(model: tf.LayersModel, c: Case) {
  const x = tf.randomUniform([c.batch, c.size, c.size, 3], -1, 1, 'float32', 1)
  const y = tf.oneHot(tf.randomUniform([c.batch], 0, c.classes, 'int32', 2), c.classes)
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' })
  await model.trainOnBatch(x, y) // warm-up: kernels, operator caches, optimizer slots

  const t0 = performance.now()
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y)
  const trainS = (performance.now() - t0) / 1000
  tf.tidy(() => model.predict(x) as tf.Tensor).dispose()
  const t1 = performance.now()
  for (let i = 0; i < steps; i++) {
    const p = model.predict(x) as tf.Tensor
    await p.data()
    p.dispose()
  }
  const inferS = (performance.now() - t1) / 1000
  tf.dispose([x, y])
  return { train: (steps * c.batch) / trainS, infer: (steps * c.batch) / inferS }
}

async function runCase(c: Case, backend: 'wasm' | 'cpu') {
  if (c.skip[backend] !== undefined) {
    console.log(`${c.name.padEnd(22)} ${backend.padEnd(5)} skipped: ${c.skip[backend]}`)
    return
  }
  await initBackend({ backend })
  const model = c.build()
  const flops = forwardFlops(model)
  const r = await measure(model, c)
  model.dispose()
  const gflopsTrain = (3 * flops * r.train) / 1e9
  const gflopsInfer = (flops * r.infer) / 1e9
  console.log(
    `${c.name.padEnd(22)} ${backend.padEnd(5)} train ${r.train.toFixed(1).padStart(7)} img/s ` +
      `(${gflopsTrain.toFixed(1)} GFLOP/s)  infer ${r.infer.toFixed(1).padStart(7)} img/s ` +
      `(${gflopsInfer.toFixed(1)} GFLOP/s)  batch ${c.batch}, ${model.countParams()} params`,
  )
}

async function main() {
  const cases: Case[] = [
    {
      name: 'small-resnet 32x32',
      build: () => buildSmallResnet(10),
      size: 32,
      batch: 64,
      classes: 10,
      skip: {},
    },
    {
      name: 'resnet50 96x96',
      build: () => buildResnet50(96, 3),
      size: 96,
      batch: 16,
      classes: 3,
      skip: { cpu: 'pure-JS cpu backend takes minutes per step (DESIGN.md: ~350 s per step of 8)' },
    },
  ]
  const only = args.get('only')
  const backends = (args.get('backends') ?? 'wasm,cpu').split(',') as ('wasm' | 'cpu')[]
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, ${cpus().length} cores`,
  )
  for (const c of cases) {
    if (only !== undefined && !c.name.startsWith(only)) continue
    for (const backend of backends) await runCase(c, backend)
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main()
