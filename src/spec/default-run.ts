import { AblateError } from '../errors.js'
import { cachedPromise } from '../promise-cache.js'
import { fingerprintTrainConfig } from '../train/fingerprint.js'
import { engineCodeIdentity } from './code-identity.js'
import type { RunFn } from './run.js'

/**
 * A run function that may say which data and weights it uses, and which code makes its numbers;
 * both go into the store key. Without `codeIdentity`, the function's source text stands for it.
 */
export type FingerprintedRunFn<C> = RunFn<C> & {
  fingerprint?: (config: C) => Promise<string>
  codeIdentity?: () => Promise<string>
}

let trainRun: Promise<RunFn<Record<string, unknown>>> | null = null
/**
 * Fingerprints per merged config, for the life of the worker's module graph (one spec file's run,
 * as vitest isolates files): the 6 repetitions of a variant share one listing of the data instead
 * of six. Data files are not expected to change while a study runs.
 */
const fingerprints = new Map<string, Promise<string>>()

/**
 * The fine-tuning engine's `trainRun`. Its fingerprint (data files and weights) comes from a light
 * module; the engine itself, and with it TensorFlow.js, is imported only when a run must train, so a
 * study whose runs are all stored never loads tfjs, and specs with their own run function never do.
 */
export function loadDefaultRun<C>(): Promise<FingerprintedRunFn<C>> {
  const run = (async (context) => {
    trainRun ??= importTrainRun()
    return (await trainRun)(context)
  }) as FingerprintedRunFn<Record<string, unknown>>
  run.fingerprint = (config) => fingerprintOnce(config)
  run.codeIdentity = () => engineCodeIdentity()
  return Promise.resolve(run as unknown as FingerprintedRunFn<C>)
}

function fingerprintOnce(config: Record<string, unknown>): Promise<string> {
  return cachedPromise(fingerprints, JSON.stringify(config), () => fingerprintTrainConfig(config))
}

async function importTrainRun(): Promise<RunFn<Record<string, unknown>>> {
  const mod = (await import('../train/index.js')) as { trainRun?: unknown }
  if (typeof mod.trainRun !== 'function') {
    throw new AblateError(
      'ABLATE_SPEC_INVALID',
      'the default run needs `trainRun` exported by src/train/index.ts, found none; give the experiment a `run` option',
    )
  }
  return mod.trainRun as RunFn<Record<string, unknown>>
}
