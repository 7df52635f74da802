import { AblateError } from '../errors.js'
import type { ClassificationMetrics, ClassificationMetricsArgs, ClassScores } from './types.js'

/**
 * Accuracy, macro/micro/weighted F1, per-class precision/recall/F1 and the confusion matrix, with
 * the same definitions as sklearn.metrics with `labels=range(numClasses)` and `zero_division=0`.
 * Written by hand because no maintained npm package matches those definitions exactly.
 */
export function computeClassificationMetrics(
  args: ClassificationMetricsArgs,
): ClassificationMetrics {
  const names = validateArgs(args)

  const confusion = buildConfusion(args)
  const n = args.yTrue.length
  const perClass = names.map((name, k) => scoreClass(confusion, k, name))
  const correct = perClass.reduce((sum, _, k) => sum + confusion[k]![k]!, 0)
  const f1Macro = perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length
  const f1Weighted = perClass.reduce((sum, c) => sum + c.f1 * c.support, 0) / n

  // Single-label over all classes: pooled fp = pooled fn = n - correct, so micro F1 = accuracy.
  return {
    accuracy: correct / n,
    f1Macro,
    f1Micro: correct / n,
    f1Weighted,
    perClass,
    confusion,
  }
}

function validateArgs(args: ClassificationMetricsArgs): string[] {
  const { yTrue, yPred, numClasses, classNames } = args
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw invalid(`numClasses must be an integer >= 1, got ${numClasses}.`)
  }
  if (yTrue.length !== yPred.length) {
    throw invalid(
      `yTrue and yPred must have the same length, got ${yTrue.length} and ${yPred.length}.`,
    )
  }
  if (yTrue.length === 0) throw invalid('yTrue is empty: pass at least one labelled sample.')
  if (classNames !== undefined && classNames.length !== numClasses) {
    throw invalid(
      `classNames must have numClasses (${numClasses}) entries, got ${classNames.length}.`,
    )
  }
  checkLabels('yTrue', yTrue, numClasses)
  checkLabels('yPred', yPred, numClasses)
  return classNames ?? Array.from({ length: numClasses }, (_, k) => String(k))
}

function checkLabels(name: string, labels: ArrayLike<number>, numClasses: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      throw invalid(
        `${name}[${i}] must be an integer class id in [0, ${numClasses}), got ${label}. ` +
          'Pass class ids, not one-hot rows or probabilities.',
      )
    }
  }
}

function buildConfusion(args: ClassificationMetricsArgs): number[][] {
  const { yTrue, yPred, numClasses } = args
  const confusion = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0))
  for (let i = 0; i < yTrue.length; i++) confusion[yTrue[i]!]![yPred[i]!]! += 1
  return confusion
}

function scoreClass(confusion: number[][], k: number, name: string): ClassScores {
  const tp = confusion[k]![k]!
  const support = confusion[k]!.reduce((sum, c) => sum + c, 0)
  const predicted = confusion.reduce((sum, row) => sum + row[k]!, 0)

  const precision = safeRatio(tp, predicted)
  const recall = safeRatio(tp, support)
  // 2tp / (2tp + fp + fn) equals 2PR / (P + R) and stays defined when P or R has a zero divisor.
  const f1 = safeRatio(2 * tp, predicted + support)
  return { name, precision, recall, f1, support }
}

function safeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator
}

function invalid(message: string): AblateError {
  return new AblateError('ABLATE_METRICS_INVALID', `computeClassificationMetrics: ${message}`)
}
