export { computeClassificationMetrics } from './classification.js'
export type { ClassificationMetrics, ClassificationMetricsArgs, ClassScores } from './types.js'
