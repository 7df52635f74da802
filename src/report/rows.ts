import {
  formatHalfWidth,
  formatInterval,
  formatPValue,
  formatSigned,
  formatValue,
} from './format.js'
import type { ExperimentReport, VariantReport } from './types.js'

/** The verdict table's columns, shared by the terminal and markdown reporters. */
export function verdictHeaders(report: ExperimentReport): string[] {
  return [
    'variant',
    'n',
    'mean',
    '±95% CI',
    `diff vs ${report.baseline}`,
    '95% CI of diff',
    'p',
    'Holm p',
    'MDE (80%)',
    'verdict',
  ]
}

/** One row per variant: baseline first, its comparison cells empty. */
export function verdictRows(report: ExperimentReport): string[][] {
  return report.variants.map((variant) => verdictRow(variant))
}

function verdictRow(variant: VariantReport): string[] {
  const { summary, comparison } = variant
  const { passed, cached, failed } = variant.counts
  const n = `${passed + cached}${failed > 0 ? `(+${failed}✗)` : ''}`
  const name = variant.role === 'baseline' ? `${variant.name} (baseline)` : variant.name
  return [
    name,
    n,
    formatValue(summary?.mean),
    formatHalfWidth(summary?.ci95),
    variant.role === 'baseline' ? '' : formatSigned(comparison?.diff),
    variant.role === 'baseline' ? '' : formatInterval(comparison?.ci95),
    variant.role === 'baseline' ? '' : formatPValue(comparison?.p),
    variant.role === 'baseline' ? '' : formatPValue(variant.pAdjusted),
    variant.role === 'baseline' ? '' : formatValue(variant.mde),
    variant.role === 'baseline' ? '' : (variant.verdict?.label ?? '-'),
  ]
}

/** True for a verdict whose Holm p passed alpha: better, worse, or negligible (inside the rope). */
export function isSignificant(variant: VariantReport): boolean {
  const kind = variant.verdict?.kind
  return kind === 'better' || kind === 'worse' || kind === 'negligible'
}

/** The header line: what is compared, how, and with which thresholds. */
export function describeOptions(report: ExperimentReport): string {
  const { options } = report
  const better = options.direction === 'higher' ? 'higher is better' : 'lower is better'
  return `metric ${options.metric} (${better}) · ${options.test} test · alpha ${options.alpha} (Holm over ${plural(Math.max(0, report.variants.length - 1), 'variant')}) · rope ±${options.rope} · seeds ${options.seeds.join(', ')}`
}

/** "1 variant", "2 variants". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
