/**
 * Frozen-backbone feature cache: wall time of a dropout-style study (4 dropout values x N seeds,
 * compact ResNet with a frozen backbone on the Fashion-MNIST fixture) run through `trainRun` with the
 * cache on (backbone once per backbone identity, head trains on cached features) and off (backbone
 * recomputed on every batch of every epoch and for every validation pass). Also checks that both
 * give the same metrics run by run. Prints, never asserts.
 *
 * Run: `npx tsx bench/feature-cache.ts [seeds] [epochs]` (defaults 3 and 10). Backend from
 * ABLATE_BACKEND (default 'auto'). Uses the fixture's pretrained backbone when present, else random
 * weights (then features differ per seed and the cache is computed once per seed).
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResult } from '../src/spec/run.js'
import { clearFeatureMemory, type TrainConfig, trainRun } from '../src/train/index.js'

const SEEDS = Number(process.argv[2] ?? 3)
const EPOCHS = Number(process.argv[3] ?? 10)
const DROPOUTS = [0, 0.2, 0.4, 0.6]
const BACKBONE = 'fixtures/backbone/compact-resnet-fmnist7.h5'

interface StudyTiming {
  mode: 'disk' | 'off'
  seconds: number
  results: RunResult[]
}

async function runStudy(base: TrainConfig, mode: 'disk' | 'off'): Promise<StudyTiming> {
  clearFeatureMemory()
  const results: RunResult[] = []
  const started = performance.now()
  for (const dropout of DROPOUTS) {
    for (let seed = 0; seed < SEEDS; seed++) {
      const config = { ...base, dropout, featureCache: mode }
      const signal = new AbortController().signal
      results.push(
        await trainRun({
          config,
          seed,
          signal,
          experiment: 'bench',
          variant: `dropout ${dropout}`,
          repetition: seed,
        }),
      )
    }
  }
  return { mode, seconds: (performance.now() - started) / 1000, results }
}

function describeBackend(result: RunResult | undefined): string {
  const backend = result?.details?.backend as
    | { name?: string; threads?: number; simd?: boolean }
    | undefined
  return `${backend?.name ?? '?'} (threads ${backend?.threads ?? '?'}, simd ${backend?.simd ?? '?'})`
}

async function main(): Promise<void> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'ablate-bench-features-'))
  const weights = existsSync(BACKBONE) ? BACKBONE : null
  const base: TrainConfig = {
    data: { dir: 'fixtures/fashion3' },
    architecture: 'compact-resnet',
    weights,
    trainable: 'frozen',
    epochs: EPOCHS,
    batchSize: 32,
    learningRate: 0.01,
    cacheDir,
  }
  try {
    // Warm-up: backend start and image decoding, paid by neither measured study.
    await trainRun({
      config: { ...base, epochs: 1, featureCache: 'off' },
      seed: 99,
      signal: new AbortController().signal,
      experiment: 'bench',
      variant: 'warm-up',
      repetition: 0,
    })
    const off = await runStudy(base, 'off')
    const on = await runStudy(base, 'disk')
    report({ off, on, weights })
  } finally {
    await rm(cacheDir, { recursive: true, force: true })
  }
}

function report(args: { off: StudyTiming; on: StudyTiming; weights: string | null }): void {
  const { off, on } = args
  const runs = off.results.length
  const identical = off.results.every(
    (r, i) => JSON.stringify(r.metrics) === JSON.stringify(on.results[i]?.metrics),
  )
  const origins = on.results.map((r) => r.details?.features)
  const lines = [
    `feature cache bench: ${DROPOUTS.length} dropout values x ${SEEDS} seeds = ${runs} runs, ${EPOCHS} epochs, ${describeData(on.results[0])}`,
    `backend ${describeBackend(on.results[0])}; backbone weights ${args.weights ?? 'random (seeded per run)'}`,
    `cache off : ${off.seconds.toFixed(1)} s total, ${(off.seconds / runs).toFixed(2)} s per run`,
    `cache on  : ${on.seconds.toFixed(1)} s total, ${(on.seconds / runs).toFixed(2)} s per run (features: ${countBy(origins)})`,
    `speed-up  : ${(off.seconds / on.seconds).toFixed(1)}x`,
    `metrics identical run by run: ${identical ? 'yes' : 'NO'}`,
  ]
  process.stdout.write(`${lines.join('\n')}\n`)
}

/** Model, input size and image counts as the run reports them in its details. */
function describeData(result: RunResult | undefined): string {
  const details = result?.details ?? {}
  const total = (key: string) => {
    const counts = details[key]
    return Array.isArray(counts) ? counts.reduce((a: number, b: number) => a + b, 0) : Number.NaN
  }
  const train = total('trainSplitClassCounts')
  const validation = total('validationClassCounts')
  const skipped = details.skippedImages ? `, ${details.skippedImages} skipped` : ''
  return (
    `${details.architecture ?? '?'} ${details.imageSize ?? '?'}px frozen, ` +
    `${train + validation} images (${train} train / ${validation} validation${skipped})`
  )
}

function countBy(values: unknown[]): string {
  const counts = new Map<string, number>()
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1)
  return [...counts].map(([value, count]) => `${count} ${value}`).join(', ')
}

await main()
