export {
  type CompareArgs,
  compare,
  isPairedTest,
  isTestKind,
  PAIRED_TESTS,
  TEST_KINDS,
} from './compare.js'
export {
  type AnalyzeExperimentArgs,
  analyzeExperiment,
  type ExperimentAnalysis,
  type VariantAnalysis,
} from './experiment.js'
export {
  type GateComparison,
  type GateRegressionsArgs,
  type GateResult,
  type GateRow,
  gateRegressions,
} from './gate.js'
export { holm } from './holm.js'
export { type Arm, type MatchedArms, matchBySeed } from './pairing.js'
export {
  type MinimumDetectableEffectArgs,
  minimumDetectableEffect,
  powerAt,
  type SeedsNeededArgs,
  seedsNeeded,
} from './power.js'
export {
  type CheckReachableArgs,
  checkReachable,
  formatP,
  type MinAttainablePArgs,
  minAttainableP,
  type ReachabilityCheck,
} from './reachability.js'
export { summarize } from './summary.js'
export type {
  Comparison,
  Direction,
  Summary,
  TestKind,
  Verdict,
  VerdictKind,
} from './types.js'
export { type DecideVerdictArgs, decideVerdict, formatRope } from './verdict.js'
