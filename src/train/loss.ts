import * as tf from '@tensorflow/tfjs'

// Keras clips probabilities by its epsilon before the log; the same value keeps losses comparable.
const EPSILON = 1e-7

/**
 * Categorical cross-entropy of softmax outputs against integer labels, each sample scaled by its
 * class weight and averaged over the batch size (Keras' `class_weight` with sum-over-batch-size
 * reduction). `classWeights: null` weighs every sample 1.
 */
export function weightedCrossEntropy(args: {
  probabilities: tf.Tensor2D
  labels: tf.Tensor1D
  classWeights: tf.Tensor1D | null
}): tf.Scalar {
  return tf.tidy(() => {
    const { probabilities, labels, classWeights } = args
    const numClasses = probabilities.shape[1]
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), numClasses)
    const clipped = tf.clipByValue(probabilities, EPSILON, 1 - EPSILON)
    const perSample = tf.neg(tf.sum(tf.mul(oneHot, tf.log(clipped)), 1))
    const weighted =
      classWeights === null ? perSample : tf.mul(perSample, classWeights.gather(labels))
    // Clipping can turn NaN into a finite value (the wasm backend does); this term is exactly 0 for
    // finite probabilities and NaN otherwise, so a diverged model always shows as a NaN loss.
    const nanGuard = tf.mul(tf.sum(probabilities), 0)
    return tf.add(tf.mean(weighted), nanGuard) as tf.Scalar
  })
}
