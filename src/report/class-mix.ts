/**
 * The class mix a variant's runs actually trained on, read from the runs' `details` (the training
 * engine stores `classNames`, `trainClassCounts` summed over epochs and `validationClassCounts`).
 * Run functions that store none of these simply get no class-mix section.
 */
import type { ClassMix, SeedRun, VariantReport } from './types.js'

interface RunClassCounts {
  classNames: string[]
  train: number[]
  validation: number[] | null
}

/**
 * Mean images drawn per class over the variant's finished runs, their shares, and the validation
 * split's counts; null when no finished run reports its class counts, or when runs disagree on the
 * class names (then no single table is honest).
 */
export function classMixOf(runs: readonly SeedRun[]): ClassMix | null {
  const counted = runs.flatMap((run) => {
    if (run.state === 'failed') return []
    const read = readClassCounts(run.details)
    return read === null ? [] : [read]
  })
  const first = counted[0]
  if (first === undefined) return null
  const sameClasses = counted.every(
    (c) => c.classNames.join('\u0000') === first.classNames.join('\u0000'),
  )
  if (!sameClasses) return null

  const train = first.classNames.map(
    (_, k) => counted.reduce((sum, c) => sum + (c.train[k] as number), 0) / counted.length,
  )
  const total = train.reduce((a, b) => a + b, 0)
  return {
    classNames: first.classNames,
    runs: counted.length,
    train,
    trainShare: train.map((count) => (total > 0 ? count / total : 0)),
    validation: first.validation,
  }
}

function readClassCounts(details: Record<string, unknown> | undefined): RunClassCounts | null {
  if (details === undefined) return null
  const { classNames, trainClassCounts, validationClassCounts } = details
  if (!isStringArray(classNames) || !isCountArray(trainClassCounts)) return null
  if (trainClassCounts.length !== classNames.length) return null
  const validation =
    isCountArray(validationClassCounts) && validationClassCounts.length === classNames.length
      ? validationClassCounts
      : null
  return { classNames, train: trainClassCounts, validation }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')
}

function isCountArray(value: unknown): value is number[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)
  )
}

/** `T-shirt 57% · Pullover 29% · Shirt 14%`: shares rounded to whole percent. */
export function describeShares(mix: ClassMix): string {
  return mix.classNames
    .map((name, k) => `${name} ${formatShare(mix.trainShare[k] as number)}`)
    .join(' · ')
}

/** A share as a percentage, one decimal below 10%, whole percent above. */
export function formatShare(share: number): string {
  const percent = share * 100
  return `${percent < 10 ? percent.toFixed(1) : percent.toFixed(0)}%`
}

/**
 * The class-mix table shared by the markdown and HTML reporters: one row per variant with class
 * counts (shares of images drawn in training), then the validation split's counts; null when no
 * variant has a class mix or the variants disagree on the classes.
 */
export function classMixTable(
  variants: readonly VariantReport[],
): { headers: string[]; rows: string[][] } | null {
  const mixes = variants.flatMap((variant) =>
    variant.classMix ? [{ name: variant.name, mix: variant.classMix }] : [],
  )
  const first = mixes[0]
  if (first === undefined) return null
  const names = first.mix.classNames
  if (!mixes.every(({ mix }) => mix.classNames.join('\u0000') === names.join('\u0000'))) return null

  const rows = mixes.map(({ name, mix }) => [
    name,
    ...mix.trainShare.map(formatShare),
    formatCount(mix.train.reduce((a, b) => a + b, 0)),
  ])
  const validation = first.mix.validation
  if (validation !== null) {
    rows.push([
      'validation split',
      ...validation.map(formatCount),
      formatCount(validation.reduce((a, b) => a + b, 0)),
    ])
  }
  return { headers: ['variant', ...names, 'images drawn per run'], rows }
}

/** One line per variant for the terminal; all variants on one line when they share one mix. */
export function describeClassMix(variants: readonly VariantReport[]): string[] {
  const lines = variants.flatMap((variant) =>
    variant.classMix ? [{ name: variant.name, text: describeShares(variant.classMix) }] : [],
  )
  const first = lines[0]
  if (first === undefined) return []
  if (lines.length === variants.length && lines.every((line) => line.text === first.text)) {
    return [`class mix seen in training (every variant): ${first.text}`]
  }
  return ['class mix seen in training:', ...lines.map((line) => `  ${line.name}: ${line.text}`)]
}

function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US')
}
