import { AblateError } from '../errors.js'

/** Throws unless `values` holds at least `min` finite numbers; `what` names the argument. */
export function assertSample(args: { values: readonly number[]; min: number; what: string }): void {
  const { values, min, what } = args
  if (values.length < min) {
    throw invalidStats(
      `${what} needs at least ${min} values, got ${values.length}. ` +
        'Run more repetitions or check why runs failed.',
    )
  }
  const bad = values.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) {
    throw invalidStats(
      `${what}[${bad}] must be a finite number, got ${values[bad]}. Failed runs must not enter statistics.`,
    )
  }
}

/** Throws unless `value` lies strictly between 0 and 1; `what` names the option. */
export function assertProbability(value: number, what: string): void {
  if (!(value > 0 && value < 1)) {
    throw invalidStats(`${what} must lie strictly between 0 and 1, got ${value}.`)
  }
}

/** Throws unless `value` is a finite number >= 0; `what` names the option. */
export function assertNonNegative(value: number, what: string): void {
  if (!(Number.isFinite(value) && value >= 0)) {
    throw invalidStats(`${what} must be a finite number >= 0, got ${value}.`)
  }
}

/** An `AblateError` with code `ABLATE_STATS_INVALID`. */
export function invalidStats(message: string): AblateError {
  return new AblateError('ABLATE_STATS_INVALID', message)
}

/** Arithmetic mean. */
export function mean(values: readonly number[]): number {
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** Sample variance (n - 1 denominator), computed around the mean for numerical stability. */
export function variance(values: readonly number[]): number {
  const m = mean(values)
  let sum = 0
  for (const v of values) sum += (v - m) ** 2
  return sum / (values.length - 1)
}
