/**
 * Training and inference speed per available tfjs backend: `npx tsx bench/backend-speed.ts`.
 * Prints img/s and GFLOP/s for the compact ResNet (176,938 parameters with a 10-class head) at 32x32
 * and ResNet50 at 96x96, both built by src/models with every layer training; never asserts.
 * Flags: `--only=compact|resnet50`, `--backends=tensorflow-gpu,tensorflow,wasm,cpu` (the default;
 * a backend that is not installed is reported as skipped), `--steps=N` (timed steps after one
 * warm-up). Rates are given by wall clock and by this process's CPU time: wasm runs one thread, so
 * on a shared machine the CPU-time rate is the closer estimate of what the code does when alone.
 */
import { cpus, loadavg } from 'node:os'
import { performance } from 'node:perf_hooks'
import * as tf from '@tensorflow/tfjs'
import {
  type ActiveBackendName,
  type BackendInfo,
  backendOrder,
  initBackend,
} from '../src/backend/index.js'
import { buildClassifier } from '../src/models/index.js'
import type { Architecture } from '../src/train/config.js'

type BenchBackend = ActiveBackendName

interface Case {
  name: string
  architecture: Architecture
  size: number
  classes: number
  /** Batch size per backend; a missing entry skips the backend with `skip`'s reason. */
  batch: Partial<Record<BenchBackend, number>>
  skip: string
}

interface Rate {
  wall: number
  cpu: number
}

const cases: Case[] = [
  {
    name: 'compact-resnet 32x32',
    architecture: 'compact-resnet',
    size: 32,
    classes: 10,
    batch: { 'tensorflow-gpu': 64, tensorflow: 64, wasm: 64, cpu: 8 },
    skip: '',
  },
  {
    name: 'resnet50 96x96',
    architecture: 'resnet50',
    size: 96,
    classes: 3,
    batch: { 'tensorflow-gpu': 16, tensorflow: 16, wasm: 16 },
    skip: 'the pure-JS cpu backend takes minutes per step (DESIGN.md: ~350 s per step of 8 at 64x64)',
  },
]

function parseFlags(argv: string[]): Map<string, string> {
  return new Map(argv.map((a) => a.replace(/^--/, '').split('=') as [string, string]))
}

/** Multiply-adds x2 of the convolutions and dense layers of one forward pass of one image. */
function forwardFlops(model: tf.LayersModel): number {
  let flops = 0
  for (const layer of model.layers) {
    const cls = layer.getClassName()
    const kernel = layer.getWeights()[0]
    if (kernel === undefined || (cls !== 'Conv2D' && cls !== 'Dense')) continue
    const out = layer.outputShape as number[]
    const pixels = cls === 'Conv2D' ? out[1]! * out[2]! : 1
    flops += 2 * pixels * kernel.size
  }
  return flops
}

async function timeSteps(steps: number, images: number, step: () => Promise<void>): Promise<Rate> {
  await step() // warm-up: kernels, XNNPACK operator caches, optimizer slots
  const cpu0 = process.cpuUsage()
  const wall0 = performance.now()
  for (let i = 0; i < steps; i++) await step()
  const cpu = process.cpuUsage(cpu0)
  const wallS = (performance.now() - wall0) / 1000
  const cpuS = (cpu.user + cpu.system) / 1e6
  return { wall: (steps * images) / wallS, cpu: (steps * images) / cpuS }
}

async function measure(model: tf.LayersModel, c: Case, batch: number, steps: number) {
  const x = tf.randomUniform([batch, c.size, c.size, 3], -1, 1, 'float32', 1)
  const y = tf.oneHot(tf.randomUniform([batch], 0, c.classes, 'int32', 2), c.classes)
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' })

  const train = await timeSteps(steps, batch, async () => {
    await model.trainOnBatch(x, y)
  })
  const infer = await timeSteps(steps, batch, async () => {
    const p = model.predict(x) as tf.Tensor
    await p.data()
    p.dispose()
  })
  tf.dispose([x, y])
  return { train, infer }
}

function formatRate(label: string, rate: Rate, flopsPerImage: number): string {
  const gflops = (r: number) => ((flopsPerImage * r) / 1e9).toFixed(1)
  return (
    `${label} ${rate.wall.toFixed(1).padStart(6)} img/s (${gflops(rate.wall)} GFLOP/s), ` +
    `by CPU time ${rate.cpu.toFixed(1).padStart(6)} (${gflops(rate.cpu)} GFLOP/s)`
  )
}

async function runCase(c: Case, backend: BenchBackend, steps: number): Promise<void> {
  const batch = c.batch[backend]
  if (batch === undefined) {
    console.log(`${c.name} on ${backend}: skipped, ${c.skip}`)
    return
  }
  const info = await initBackend({ backend }).catch((error: Error) => error)
  if (info instanceof Error) {
    console.log(`${c.name} on ${backend}: skipped, ${info.message.split('\n')[0]}`)
    return
  }
  const classifier = await buildClassifier({
    architecture: c.architecture,
    numClasses: c.classes,
    inputSize: c.size,
    weights: null,
    trainable: 'all',
    seed: 1,
  })
  const model = classifier.model
  const flops = forwardFlops(model)
  const r = await measure(model, c, batch, steps)
  console.log(
    `${c.name} on ${backend} (${describeBackend(info)}), batch ${batch}, ` +
      `${model.countParams()} params, ${(flops / 1e9).toFixed(3)} GFLOP per image forward`,
  )
  // Training costs about 3 forward passes (forward, input gradient, filter gradient).
  console.log(`  ${formatRate('train', r.train, 3 * flops)}`)
  console.log(`  ${formatRate('infer', r.infer, flops)}`)
  model.dispose()
}

function describeBackend(info: BackendInfo): string {
  if (info.name === 'wasm') return `simd ${info.simd ?? false}, threads ${info.threads}`
  if (info.name === 'cpu') return 'pure JS'
  return `libtensorflow ${info.tensorflowVersion ?? '?'}, device ${info.device ?? '?'}`
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2))
  const steps = Number(flags.get('steps') ?? 5)
  const only = flags.get('only')
  const backends = (flags.get('backends') ?? backendOrder.join(',')).split(',') as BenchBackend[]
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')

  console.log(`${cpus().length} cores, load average ${load()} (1, 5, 15 min) at start`)
  for (const c of cases) {
    if (only !== undefined && !c.architecture.startsWith(only)) continue
    for (const backend of backends) await runCase(c, backend, steps)
  }
  console.log(`load average ${load()} at end`)
}

await main()
