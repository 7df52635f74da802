import * as tf from '@tensorflow/tfjs'
import { type ClassificationMetrics, computeClassificationMetrics } from '../metrics/index.js'
import type { FeatureSource } from './feature-source.js'
import { weightedCrossEntropy } from './loss.js'
import type { PreparedData } from './prepared-data.js'

/** Scores of the current weights on a set of images (the validation split). */
export interface Evaluation {
  metrics: ClassificationMetrics
  /** Mean unweighted cross-entropy. */
  loss: number
}

/** Predicts the chosen images in inference mode, `batchSize` at a time, and scores them. */
export async function evaluate(args: {
  trainable: tf.LayersModel
  source: FeatureSource
  data: PreparedData
  indices: Int32Array
  batchSize: number
}): Promise<Evaluation> {
  const { data, indices } = args
  const predicted = new Int32Array(indices.length)
  let lossSum = 0
  for (let start = 0; start < indices.length; start += args.batchSize) {
    const chunk = indices.subarray(start, start + args.batchSize)
    const [classes, loss] = predictChunk({ ...args, chunk })
    predicted.set(await classes.data<'int32'>(), start)
    lossSum += (await loss.data())[0]! * chunk.length
    tf.dispose([classes, loss])
  }

  const yTrue = Array.from(indices, (i) => data.labels[i]!)
  const metrics = computeClassificationMetrics({
    yTrue,
    yPred: predicted,
    numClasses: data.classNames.length,
    classNames: data.classNames,
  })
  return { metrics, loss: lossSum / indices.length }
}

function predictChunk(args: {
  trainable: tf.LayersModel
  source: FeatureSource
  data: PreparedData
  chunk: Int32Array
}): [tf.Tensor1D, tf.Scalar] {
  return tf.tidy(() => {
    const features = args.source.features({ indices: args.chunk, rng: null })
    const probabilities = args.trainable.predict(features, {
      batchSize: args.chunk.length,
    }) as tf.Tensor2D
    const labels = tf.tensor1d(
      Array.from(args.chunk, (i) => args.data.labels[i]!),
      'int32',
    )
    const loss = weightedCrossEntropy({ probabilities, labels, classWeights: null })
    return [tf.argMax(probabilities, 1) as tf.Tensor1D, loss]
  })
}
