import type { ProgressArtifact } from '../spec/meta.js'
import { formatDuration, formatValue } from './format.js'
import type { SeedRun } from './types.js'

/** One live line per ProgressEvent, e.g. `… dropout > 0.1 > seed 3 · epoch 4/10 · loss 0.5120`. */
export function formatProgress(artifact: ProgressArtifact): string {
  const { event } = artifact
  const metrics = Object.entries(event.metrics).map(
    ([name, value]) => `${name} ${formatValue(value)}`,
  )
  return [
    `… ${artifact.experiment} > ${artifact.variant} > seed ${artifact.seed}`,
    `epoch ${event.epoch}/${event.epochs}`,
    `loss ${formatValue(event.loss)}`,
    ...metrics,
    `eta ${formatDuration(event.etaMs)}`,
  ].join(' · ')
}

/** One line per finished run, e.g. `✓ dropout > 0.1 > seed 3 · f1Macro 0.8123 · 1.2 s [4/18]`. */
export function formatRunLine(args: {
  experiment: string
  variant: string
  metric: string
  run: SeedRun
  done: number
  total: number
}): string {
  const { run } = args
  const mark = run.state === 'failed' ? '✗' : run.state === 'cached' ? '=' : '✓'
  const what =
    run.state === 'failed'
      ? `failed: ${run.error.message.split('\n')[0]}`
      : `${args.metric} ${formatValue(run.value)}${run.state === 'cached' ? ' (cached)' : ''}`
  return `${mark} ${args.experiment} > ${args.variant} > seed ${run.seed} · ${what} · ${formatDuration(run.durationMs)} [${args.done}/${args.total}]`
}
