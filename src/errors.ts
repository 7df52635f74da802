/**
 * All of ablate's error classes live here, each with a stable `code` that tests and users can match.
 * Messages say what was expected, what was found and what to do, naming the file, option or value.
 */

/** Stable error codes. Add new codes here, grouped by area. */
export type AblateErrorCode =
  // spec
  | 'ABLATE_SPEC_INVALID'
  | 'ABLATE_RUN_FAILED'
  // store
  | 'ABLATE_STORE_CORRUPT'
  // data
  | 'ABLATE_DATA_INVALID'
  // models and weights
  | 'ABLATE_WEIGHTS_MISSING'
  | 'ABLATE_WEIGHTS_INVALID'
  // training
  | 'ABLATE_TRAIN_NAN'
  | 'ABLATE_ABORTED'
  | 'ABLATE_TRAIN_CONFIG_INVALID'
  // backend
  | 'ABLATE_BACKEND_UNAVAILABLE'
  | 'ABLATE_BACKEND_UNSUPPORTED'
  // gate
  | 'ABLATE_BASELINE_MISMATCH'
  // metrics and statistics
  | 'ABLATE_METRICS_INVALID'
  | 'ABLATE_STATS_INVALID'
  // reports
  | 'ABLATE_REPORT_WRITE'

/** Base class of every error ablate throws on purpose. Wrapped errors keep `{ cause }`. */
export class AblateError extends Error {
  readonly code: AblateErrorCode

  constructor(code: AblateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'AblateError'
    this.code = code
  }
}
