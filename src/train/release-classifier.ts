import type * as tf from '@tensorflow/tfjs'
import type { Classifier } from '../models/index.js'

/**
 * Frees every weight of a classifier's three models. They share layers with different reference
 * counts (the trainable part's layers are applied twice), and a layer disposed through one model
 * makes another model's `dispose` throw; so the variables are collected first and freed directly.
 */
export function releaseClassifier(
  classifier: Pick<Classifier, 'model' | 'frozen' | 'trainable'>,
): void {
  const models = [classifier.model, classifier.frozen, classifier.trainable]
  const variables = new Map<number, tf.Tensor>()
  for (const model of models) {
    for (const weight of model?.weights ?? []) {
      const value = weight.read()
      variables.set(value.id, value)
    }
  }
  for (const value of variables.values()) {
    if (!value.isDisposed) value.dispose()
  }
}
