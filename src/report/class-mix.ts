/**
 * The class mix a variant's runs actually trained on, read from the runs' `details` (the training
 * engine stores `classNames`, `trainClassCounts` summed over epochs, `trainSplitClassCounts` and
 * `validationClassCounts`).
 * Run functions that store none of these simply get no class-mix section.
 */
import type { ClassMix, SeedRun, VariantReport } from './types.js'

interface RunClassCounts {
  classNames: string[]
  train: number[]
  trainSplit: number[] | null
  validation: number[] | null
}

/**
 * Mean images drawn per class over the variant's finished runs, their shares, and the training and
 * validation splits' counts; null when no finished run reports its class counts, or when runs
 * disagree on the class names (then no single table is honest).
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
    trainSplit: first.trainSplit,
    validation: first.validation,
  }
}

function readClassCounts(details: Record<string, unknown> | undefined): RunClassCounts | null {
  if (details === undefined) return null
  const { classNames, trainClassCounts, trainSplitClassCounts, validationClassCounts } = details
  if (!isStringArray(classNames) || !isCountArray(trainClassCounts)) return null
  if (trainClassCounts.length !== classNames.length) return null
  return {
    classNames,
    train: trainClassCounts,
    trainSplit: countsPerClass(trainSplitClassCounts, classNames),
    validation: countsPerClass(validationClassCounts, classNames),
  }
}

/** The counts when there is one per class, else null (absent or malformed). */
function countsPerClass(value: unknown, classNames: string[]): number[] | null {
  return isCountArray(value) && value.length === classNames.length ? value : null
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
 * counts (shares of images drawn in training), then the training and validation splits' counts;
 * null when no variant has a class mix or the variants disagree on the classes.
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
    formatCount(sum(mix.train)),
  ])
  const splits = [
    { name: 'training split', counts: first.mix.trainSplit },
    { name: 'validation split', counts: first.mix.validation },
  ]
  for (const { name, counts } of splits) {
    if (counts !== null) rows.push([name, ...counts.map(formatCount), formatCount(sum(counts))])
  }
  return { headers: ['variant', ...names, 'images drawn per run'], rows }
}

/**
 * Terminal lines: the class mix seen in training, then the training / validation split's images
 * per class; each on one line when every variant shares it, else one line per variant.
 */
export function describeClassMix(variants: readonly VariantReport[]): string[] {
  const mixes = variants.flatMap((variant) =>
    variant.classMix ? [{ name: variant.name, mix: variant.classMix }] : [],
  )
  const shares = mixes.map(({ name, mix }) => ({ name, text: describeShares(mix) }))
  const splits = mixes.flatMap(({ name, mix }) => {
    const text = describeSplitCounts(mix)
    return text === null ? [] : [{ name, text }]
  })
  return [
    ...linesPerVariant({ title: 'class mix seen in training', texts: shares, variants }),
    ...linesPerVariant({
      title: 'images per class, training / validation split',
      texts: splits,
      variants,
    }),
  ]
}

/** `T-shirt 192 / 48 · Pullover 96 / 24 · Shirt 48 / 12`; null without both splits' counts. */
function describeSplitCounts(mix: ClassMix): string | null {
  const { trainSplit, validation } = mix
  if (trainSplit === null || validation === null) return null
  return mix.classNames
    .map((name, k) => {
      const counts = [trainSplit[k] as number, validation[k] as number]
      return `${name} ${counts.map(formatCount).join(' / ')}`
    })
    .join(' · ')
}

function linesPerVariant(args: {
  title: string
  texts: { name: string; text: string }[]
  variants: readonly VariantReport[]
}): string[] {
  const { title, texts } = args
  const first = texts[0]
  if (first === undefined) return []
  if (texts.length === args.variants.length && texts.every((t) => t.text === first.text)) {
    return [`${title} (every variant): ${first.text}`]
  }
  return [`${title}:`, ...texts.map((t) => `  ${t.name}: ${t.text}`)]
}

function sum(counts: readonly number[]): number {
  return counts.reduce((a, b) => a + b, 0)
}

function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US')
}
