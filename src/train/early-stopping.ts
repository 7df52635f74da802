import * as tf from '@tensorflow/tfjs'
import type { Evaluation } from './evaluate.js'
import type { MonitoredMetric, ResolvedTrainConfig } from './resolved-config.js'

/** The best epoch seen so far: its 1-based number and its validation scores. */
export interface BestEpoch {
  epoch: number
  evaluation: Evaluation
}

/**
 * Watches a validation metric epoch by epoch, keeps a copy of the weights of the best epoch and
 * says when `patience` epochs have passed without a strict improvement.
 */
export class EarlyStopping {
  private best: BestEpoch | null = null
  private bestWeights: tf.Tensor[] = []
  private sinceBest = 0

  constructor(
    private readonly config: NonNullable<ResolvedTrainConfig['earlyStopping']>,
    private readonly model: tf.LayersModel,
  ) {}

  /** Records one finished epoch; returns true when training should stop now. */
  observe(current: BestEpoch): boolean {
    if (
      this.best === null ||
      improves(this.config.metric, current.evaluation, this.best.evaluation)
    ) {
      this.best = current
      this.sinceBest = 0
      this.keepWeights()
      return false
    }
    this.sinceBest++
    return this.sinceBest >= this.config.patience
  }

  /** Writes the best epoch's weights back into the model and returns that epoch. */
  restoreBest(): BestEpoch | null {
    if (this.best !== null) this.model.setWeights(this.bestWeights)
    return this.best
  }

  /** Frees the kept weights. */
  dispose(): void {
    tf.dispose(this.bestWeights)
    this.bestWeights = []
  }

  private keepWeights(): void {
    this.dispose()
    // Clones share storage until the variables are next assigned, which then leaves these intact.
    this.bestWeights = this.model.getWeights().map((weight) => tf.clone(weight))
  }
}

/** The value early stopping watches; every metric but the loss is better when higher. */
export function monitoredValue(metric: MonitoredMetric, evaluation: Evaluation): number {
  return metric === 'loss' ? evaluation.loss : evaluation.metrics[metric]
}

function improves(metric: MonitoredMetric, current: Evaluation, best: Evaluation): boolean {
  const delta = monitoredValue(metric, current) - monitoredValue(metric, best)
  return metric === 'loss' ? delta < 0 : delta > 0
}
