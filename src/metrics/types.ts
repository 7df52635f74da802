/**
 * Classification metrics of one model on one labelled set. Short forms: f1 = harmonic mean of
 * precision and recall; support = number of true samples of a class; macro = unweighted mean over
 * classes; weighted = mean weighted by support; micro = computed from pooled counts.
 */

/** Scores of one class. A score whose denominator is zero is 0 (sklearn's `zero_division=0`). */
export interface ClassScores {
  name: string
  precision: number
  recall: number
  f1: number
  /** Number of samples whose true label is this class. */
  support: number
}

/** Everything `computeClassificationMetrics` reports. All scores lie in [0, 1]; none is NaN. */
export interface ClassificationMetrics {
  accuracy: number
  /** Unweighted mean of the per-class F1 over all `numClasses` classes, absent ones included. */
  f1Macro: number
  /** F1 of pooled counts; equals accuracy for single-label classification over all classes. */
  f1Micro: number
  /** Per-class F1 weighted by support. */
  f1Weighted: number
  perClass: ClassScores[]
  /** Counts indexed `confusion[trueClass][predictedClass]`. */
  confusion: number[][]
}

/** Arguments of `computeClassificationMetrics`. */
export interface ClassificationMetricsArgs {
  /** True class ids, integers in [0, numClasses). */
  yTrue: ArrayLike<number>
  /** Predicted class ids, same length as `yTrue`. */
  yPred: ArrayLike<number>
  /** Number of classes; classes absent from both arrays still count in the macro average. */
  numClasses: number
  /** Default: `['0', '1', ...]`. One name per class. */
  classNames?: string[]
}
