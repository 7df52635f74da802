import { createHash } from 'node:crypto'
import { canonicalJson } from './canonical-json.js'

/** Everything that identifies one run's result. Any change gives a different key. */
export interface RunKeyParts {
  experiment: string
  /** The variant's merged config (the experiment's config with the variant's over it). */
  config: unknown
  seed: number
  /** The run function's `fingerprint(config)` (data and weights identity), or null without one. */
  fingerprint: string | null
  /**
   * Identity of the code that makes the run's numbers: for the default run a hash of ablate's
   * engine sources and tfjs versions, for a run function of your own a hash of its source text.
   */
  code: string
  /** The spec's `version` option. */
  version: string
  /** ablate's package version. */
  ablateVersion: string
  /**
   * Default null. The variant whose own `run` function made the run: two rows with equal configs
   * but different run functions must never share a stored result.
   */
  runOwner?: string | null
}

/** The store key of a run: sha256 (hex) of the canonical JSON of its parts. */
export function computeRunKey(parts: RunKeyParts): string {
  const text = canonicalJson({
    ablateVersion: parts.ablateVersion,
    code: parts.code,
    config: parts.config,
    experiment: parts.experiment,
    fingerprint: parts.fingerprint,
    seed: parts.seed,
    version: parts.version,
    // Left out when null, so the keys of runs made by the experiment's run function stay as they were.
    ...(parts.runOwner == null ? {} : { runOwner: parts.runOwner }),
  })
  return createHash('sha256').update(text).digest('hex')
}
