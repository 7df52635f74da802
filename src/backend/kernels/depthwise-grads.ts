import * as tf from '@tensorflow/tfjs'
import { type ConvGradAttrs, resolveConvGeometry, toConvPadding } from './conv-geometry.js'
import { transposedPads } from './conv2d-grads.js'
import { flipFilter } from './filter-flip.js'
import { stridedBackpropInput } from './strided-backprop.js'

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

  // x's height and width stay the spatial axes, so its padding goes to the convolution.
  const { input, pad } = toConvPadding(x, [top, bottom, left, right])
  const [, h, w] = input.shape
  const image = tf.reshape(tf.transpose(input, [1, 2, 3, 0]), [1, h, w, channels * batch])
  const dy5 = tf.reshape(dy, [batch, g.outHeight, g.outWidth, channels, multiplier])
  const taps = tf.reshape(tf.transpose(dy5, [1, 2, 3, 0, 4]), [
    g.outHeight,
    g.outWidth,
    channels * batch,
    multiplier,
  ]) as tf.Tensor4D
  const perImage = tf.depthwiseConv2d(
    image as tf.Tensor4D,
    taps,
    [g.dilationHeight, g.dilationWidth],
    pad,
    'NHWC',
    [g.strideHeight, g.strideWidth],
  )
  const kept = tf.slice(perImage, [0, 0, 0, 0], [1, g.filterHeight, g.filterWidth, -1])
  const split = tf.reshape(kept, [g.filterHeight, g.filterWidth, channels, batch, multiplier])
  return tf.sum(split, 3)
}

/**
 * Gradient of a depthwise convolution with respect to its input: dy padded and convolved depthwise
 * with the filter rotated by 180 degrees (phase by phase when strided); multipliers are summed.
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
  const [, , channels, multiplier] = filter.shape

  const convolve = (
    d: tf.Tensor4D,
    taps: tf.Tensor4D,
    pad: tf.backend_util.ExplicitPadding,
    dilations: [number, number] = [1, 1],
  ) => {
    const [th, tw] = taps.shape
    const flat = tf.reshape(taps, [th, tw, channels * multiplier, 1]) as tf.Tensor4D
    const perMultiplier = tf.depthwiseConv2d(d, flat, 1, pad, 'NHWC', dilations)
    if (multiplier === 1) return perMultiplier
    const [batch, h, w] = perMultiplier.shape
    return tf.sum(tf.reshape(perMultiplier, [batch, h, w, channels, multiplier]), 4) as tf.Tensor4D
  }
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    return stridedBackpropInput({ dy, filter, geometry: g, inChannels: channels, convolve })
  }
  const spread = toConvPadding(dy, transposedPads(g))
  return convolve(spread.input, flipFilter(filter), spread.pad, [g.dilationHeight, g.dilationWidth])
}
