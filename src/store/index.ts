export type { BaselineFile, BaselineVariant } from './baseline.js'
export {
  BASELINE_SCHEMA_VERSION,
  baselineFromReport,
  baselinePath,
  DEFAULT_BASELINES_DIR,
  readBaselineFile,
  writeBaselineFile,
} from './baseline.js'
export { canonicalJson } from './canonical-json.js'
export type { RunKeyParts } from './key.js'
export { computeRunKey } from './key.js'
export type { StoredFailedRun, StoredPassedRun, StoredRun } from './record.js'
export { STORE_SCHEMA_VERSION } from './record.js'
export { type SavedBaseline, saveBaselines } from './save-baselines.js'
export {
  DEFAULT_STORE_DIR,
  isFreshRequested,
  readStoredRun,
  resolveStoreDir,
  runPath,
  writeStoredRun,
} from './store.js'
export { ABLATE_VERSION } from './version.js'
