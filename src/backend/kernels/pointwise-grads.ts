import * as tf from '@tensorflow/tfjs'
import { padOrCrop } from './conv-geometry.js'

/**
 * A 1x1 convolution without padding or dilation, at any stride: each output pixel reads one input
 * pixel, so both gradients are matrix products over the pixels read. ResNet's strided 1x1
 * shortcuts otherwise went through the general filter gradient, which computed every stride x
 * stride tap and sliced one out (160 ms for the last stage's shortcut at 96x96, batch 16).
 */
export function isPointwise(g: tf.backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = g.padInfo
  const unpadded = top === 0 && bottom === 0 && left === 0 && right === 0
  const undilated = g.dilationHeight === 1 && g.dilationWidth === 1
  return g.filterHeight === 1 && g.filterWidth === 1 && unpadded && undilated
}

/** x^T dy over the pixels the convolution read, with x transposed explicitly (wasm's is slow). */
export function pointwiseBackpropFilter(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  g: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const read = subsample(x, g)
  const xt = tf.transpose(tf.reshape(read, [-1, g.inChannels]))
  const product = tf.matMul(xt, tf.reshape(dy, [-1, g.outChannels]) as tf.Tensor2D)
  return tf.reshape(product, [1, 1, g.inChannels, g.outChannels])
}

/** dy W^T at the pixels the convolution read, zeros at the pixels its stride skipped. */
export function pointwiseBackpropInput(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  g: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const w = tf.reshape(filter, [g.inChannels, g.outChannels]) as tf.Tensor2D
  const flat = tf.matMul(tf.reshape(dy, [-1, g.outChannels]) as tf.Tensor2D, w, false, true)
  const read = tf.reshape(flat, [g.batchSize, g.outHeight, g.outWidth, g.inChannels])
  return spread(read as tf.Tensor4D, g)
}

/** The input pixels a strided 1x1 convolution reads: rows and columns 0, s, 2s, ... */
function subsample(x: tf.Tensor4D, g: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [sh, sw] = [g.strideHeight, g.strideWidth]
  if (sh === 1 && sw === 1) return x
  const [n, , , c] = x.shape
  // Padded or cropped to whole strides, each row of strides holds the pixel read at its start.
  const whole = padOrCrop(x, [0, g.outHeight * sh - g.inHeight, 0, g.outWidth * sw - g.inWidth])
  const grid = tf.reshape(whole, [n * g.outHeight, sh, g.outWidth, sw * c])
  const read = tf.slice(grid, [0, 0, 0, 0], [-1, 1, -1, c])
  return tf.reshape(read, [n, g.outHeight, g.outWidth, c])
}

/** The inverse placement of `subsample`: values at the pixels read, zeros elsewhere. */
function spread(read: tf.Tensor4D, g: tf.backend_util.Conv2DInfo): tf.Tensor4D {
  const [sh, sw] = [g.strideHeight, g.strideWidth]
  if (sh === 1 && sw === 1) return read
  const [n, , , c] = read.shape
  const rows = tf.reshape(read, [n * g.outHeight, 1, g.outWidth, c])
  const grid = tf.pad(rows, [
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, (sw - 1) * c],
  ])
  const whole = tf.reshape(grid, [n, g.outHeight * sh, g.outWidth * sw, c]) as tf.Tensor4D
  return padOrCrop(whole, [0, g.inHeight - g.outHeight * sh, 0, g.inWidth - g.outWidth * sw])
}
