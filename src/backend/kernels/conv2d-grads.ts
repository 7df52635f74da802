import * as tf from '@tensorflow/tfjs'
import { type ConvGradAttrs, resolveConvGeometry, toConvPadding } from './conv-geometry.js'
import { flipFilter } from './filter-flip.js'
import { isPointwise, pointwiseBackpropFilter, pointwiseBackpropInput } from './pointwise-grads.js'
import { stridedBackpropInput } from './strided-backprop.js'

/**
 * Gradient of a 2-D convolution with respect to its filter, composed from the forward convolution.
 * With the batch and channel axes of x swapped, dy acts as a filter whose taps lie `stride` pixels
 * apart (a dilation), so one fast forward convolution yields all kernel taps at once.
 * Shortcoming: this runs at about half the forward convolution's GFLOP/s (its reduction over
 * batch x pixels is long, so XNNPACK streams dy from memory for every output tile) plus two
 * transposes; the mark can go with a native wasm filter gradient or a K-blocked product (chunking
 * the batch was measured here and is slower).
 */
export function conv2dBackpropFilter(
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor4D {
  const x = inputs.x as tf.Tensor4D
  const dy = inputs.dy as tf.Tensor4D
  const a = attrs as unknown as ConvGradAttrs & { filterShape: number[] }
  const g = resolveConvGeometry({
    kernelName: 'Conv2DBackpropFilter',
    inputShape: x.shape,
    filterShape: a.filterShape,
    attrs: a,
    depthwise: false,
  })
  const { top, bottom, left, right } = g.padInfo
  if (isPointwise(g)) return pointwiseBackpropFilter(x, dy, g)

  // x's height and width stay the spatial axes after the swap, so its padding goes to the conv.
  const { input, pad } = toConvPadding(x, [top, bottom, left, right])
  const xt = tf.transpose(input, [3, 1, 2, 0])
  const dyt = tf.transpose(dy, [1, 2, 0, 3])
  const taps = tf.conv2d(xt, dyt, [g.dilationHeight, g.dilationWidth], pad, 'NHWC', [
    g.strideHeight,
    g.strideWidth,
  ])
  const kept = tf.slice(taps, [0, 0, 0, 0], [g.inChannels, g.filterHeight, g.filterWidth, -1])
  return tf.transpose(kept, [1, 2, 0, 3])
}

/**
 * Gradient of a 2-D convolution with respect to its input: dy padded and convolved with the filter
 * rotated by 180 degrees with in and out swapped; strided convolutions go phase by phase.
 */
export function conv2dBackpropInput(
  inputs: Record<string, tf.Tensor>,
  attrs: Record<string, unknown>,
): tf.Tensor4D {
  const dy = inputs.dy as tf.Tensor4D
  const filter = inputs.filter as tf.Tensor4D
  const a = attrs as unknown as ConvGradAttrs & { inputShape: number[] }
  const g = resolveConvGeometry({
    kernelName: 'Conv2DBackpropInput',
    inputShape: a.inputShape,
    filterShape: filter.shape,
    attrs: a,
    depthwise: false,
  })

  if (isPointwise(g)) return pointwiseBackpropInput(dy, filter, g)
  if (g.strideHeight > 1 || g.strideWidth > 1) {
    const convolve = (d: tf.Tensor4D, taps: tf.Tensor4D, pad: tf.backend_util.ExplicitPadding) =>
      tf.conv2d(d, tf.transpose(taps, [0, 1, 3, 2]), 1, pad)
    return stridedBackpropInput({ dy, filter, geometry: g, inChannels: g.inChannels, convolve })
  }
  const { input, pad } = toConvPadding(dy, transposedPads(g))
  const rotated = rotateFilter(filter)
  return tf.conv2d(input, rotated, 1, pad, 'NHWC', [g.dilationHeight, g.dilationWidth])
}

/** The filter rotated by 180 degrees in space, with input and output channels swapped. */
function rotateFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(flipFilter(filter), [0, 1, 3, 2])
}

/**
 * Pads that turn the stride-spread dy ([outHeight * strideHeight] rows, the last stride - 1 of
 * them zeros) into the input of a 'valid' convolution whose output has the forward input's size.
 */
export function transposedPads(g: tf.backend_util.Conv2DInfo): [number, number, number, number] {
  const reachH = (g.filterHeight - 1) * g.dilationHeight
  const reachW = (g.filterWidth - 1) * g.dilationWidth
  const spreadH = g.outHeight * g.strideHeight
  const spreadW = g.outWidth * g.strideWidth
  const top = reachH - g.padInfo.top
  const left = reachW - g.padInfo.left
  return [top, g.inHeight + reachH - spreadH - top, left, g.inWidth + reachW - spreadW - left]
}
