import { AblateError } from '../errors.js'
import type { RunFn } from './run.js'

/** A run function that may say which data and weights it uses; that goes into the store key. */
export type FingerprintedRunFn<C> = RunFn<C> & { fingerprint?: (config: C) => Promise<string> }

let defaultRun: Promise<FingerprintedRunFn<Record<string, unknown>>> | null = null

/**
 * The fine-tuning engine's `trainRun`, imported on first use only, so that specs with their own run
 * function never load TensorFlow.js.
 */
export function loadDefaultRun<C>(): Promise<FingerprintedRunFn<C>> {
  defaultRun ??= importTrainRun()
  return defaultRun as unknown as Promise<FingerprintedRunFn<C>>
}

async function importTrainRun(): Promise<FingerprintedRunFn<Record<string, unknown>>> {
  const mod = (await import('../train/index.js')) as { trainRun?: unknown }
  if (typeof mod.trainRun !== 'function') {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      'the default run needs `trainRun` exported by src/train/index.ts, found none; give the experiment a `run` option',
    )
  }
  return mod.trainRun as FingerprintedRunFn<Record<string, unknown>>
}
