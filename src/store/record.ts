import type { EnvironmentFingerprint, RunError } from '../report/types.js'

/** Version of a stored run's JSON layout; a record of another version is ignored (rerun). */
export const STORE_SCHEMA_VERSION = 1

/** Fields every stored run has. */
interface StoredRunBase {
  schemaVersion: typeof STORE_SCHEMA_VERSION
  /** The file's own key (file name without `.json`). */
  key: string
  experiment: string
  /** Variant name when the run was made; informative only (the key does not contain it). */
  variant: string
  seed: number
  config: unknown
  fingerprint: string | null
  version: string
  ablateVersion: string
  /** ISO 8601 time the run finished. */
  finishedAt: string
  durationMs: number
  environment: EnvironmentFingerprint
  details?: Record<string, unknown>
}

/** A run that returned metrics: reused by every later invocation with the same key. */
export interface StoredPassedRun extends StoredRunBase {
  state: 'passed'
  metrics: Record<string, number>
}

/** A run that threw or timed out: kept for the record, tried again by the next invocation. */
export interface StoredFailedRun extends StoredRunBase {
  state: 'failed'
  error: RunError
}

/** One JSON file under the store folder, tagged by `state`. */
export type StoredRun = StoredPassedRun | StoredFailedRun
