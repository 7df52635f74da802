import * as tf from '@tensorflow/tfjs'
import { type ConvGradAttrs, insertZeros, padOrCrop, resolveConvGeometry } from './conv-geometry.js'
import { transposedPads } from './conv2d-grads.js'

/**
 * Gradient of a depthwise convolution with respect to its filter, as one depthwise convolution:
 * every (channel, image) pair becomes a channel of a single image, dy of that pair its filter
 * (taps `stride` apart); the per-image results are then summed.
 */
export function depthwiseBackpropFilter(
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor4D {
  const x = inputs.x as tf.Tensor4D
  const dy = inputs.dy as tf.Tensor4D
  const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] }
  const g = resolveConvGeometry({
    kernelName: 'DepthwiseConv2dNativeBackpropFilter',
    inputShape: x.shape,
    filterShape: a.filterShape,
    attrs: a,
    depthwise: true,
  })
  const { top, bottom, left, right } = g.padInfo
  const [batch] = x.shape
  const channels = g.inChannels
  const multiplier = g.outChannels / channels

  const xp = padOrCrop(x, [top, bottom, left, right])
  const [, hp, wp] = xp.shape
  const image = tf.reshape(tf.transpose(xp, [1, 2, 3, 0]), [
    1,
    hp,
    wp,
    channels * batch,
  ]) as tf.Tensor4D
  const dy5 = tf.reshape(dy, [batch, g.outHeight, g.outWidth, channels, multiplier])
  const taps = tf.reshape(tf.transpose(dy5, [1, 2, 3, 0, 4]), [
    g.outHeight,
    g.outWidth,
    channels * batch,
    multiplier,
  ]) as tf.Tensor4D
  const perImage = tf.depthwiseConv2d(
    image,
    taps,
    [g.dilationHeight, g.dilationWidth],
    'valid',
    'NHWC',
    [g.strideHeight, g.strideWidth],
  )
  const kept = tf.slice(perImage, [0, 0, 0, 0], [1, g.filterHeight, g.filterWidth, -1])
  const split = tf.reshape(kept, [g.filterHeight, g.filterWidth, channels, batch, multiplier])
  return tf.sum(split, 3)
}

/**
 * Gradient of a depthwise convolution with respect to its input: dy spread by the stride, padded,
 * and convolved depthwise with the filter rotated by 180 degrees; channel multipliers are summed.
 */
export function depthwiseBackpropInput(
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor4D {
  const dy = inputs.dy as tf.Tensor4D
  const filter = inputs.filter as tf.Tensor4D
  const a = attrs as unknown as ConvGradAttrs & { inputShape: number[] }
  const g = resolveConvGeometry({
    kernelName: 'DepthwiseConv2dNativeBackpropInput',
    inputShape: a.inputShape,
    filterShape: filter.shape,
    attrs: a,
    depthwise: true,
  })
  const [kh, kw, channels, multiplier] = filter.shape

  const spread = padOrCrop(insertZeros(dy, g.strideHeight, g.strideWidth), transposedPads(g))
  const flipped = kh === 1 && kw === 1 ? filter : tf.reverse(filter, [0, 1])
  const rotated = tf.reshape(flipped, [kh, kw, channels * multiplier, 1]) as tf.Tensor4D
  const perMultiplier = tf.depthwiseConv2d(spread, rotated, 1, 'valid', 'NHWC', [
    g.dilationHeight,
    g.dilationWidth,
  ])
  if (multiplier === 1) return perMultiplier
  const [batch, h, w] = perMultiplier.shape
  return tf.sum(tf.reshape(perMultiplier, [batch, h, w, channels, multiplier]), 4)
}
