import * as tf from '@tensorflow/tfjs'
import { type ConvGradAttrs, insertZeros, padOrCrop, resolveConvGeometry } from './conv-geometry.js'

/**
 * Gradient of a 2-D convolution with respect to its filter, composed from the forward convolution.
 * With the batch and channel axes of x swapped, dy acts as a filter whose taps lie `stride` pixels
 * apart (a dilation), so one fast forward convolution yields all kernel taps at once.
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

  const xt = tf.transpose(padOrCrop(x, [top, bottom, left, right]), [3, 1, 2, 0])
  const dyt = tf.transpose(dy, [1, 2, 0, 3])
  const taps = tf.conv2d(xt, dyt, [g.dilationHeight, g.dilationWidth], 'valid', 'NHWC', [
    g.strideHeight,
    g.strideWidth,
  ])
  const kept = tf.slice(taps, [0, 0, 0, 0], [g.inChannels, g.filterHeight, g.filterWidth, -1])
  return tf.transpose(kept, [1, 2, 0, 3])
}

/**
 * Gradient of a 2-D convolution with respect to its input: dy spread by the stride (zeros between
 * pixels), padded, and convolved with the filter rotated by 180 degrees with in and out swapped.
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

  const spread = padOrCrop(insertZeros(dy, g.strideHeight, g.strideWidth), transposedPads(g))
  const rotated = rotateFilter(filter)
  return tf.conv2d(spread, rotated, 1, 'valid', 'NHWC', [g.dilationHeight, g.dilationWidth])
}

/** The filter rotated by 180 degrees in space, with input and output channels swapped. */
function rotateFilter(filter: tf.Tensor4D): tf.Tensor4D {
  const [kh, kw] = filter.shape
  const flipped = kh === 1 && kw === 1 ? filter : tf.reverse(filter, [0, 1])
  return tf.transpose(flipped, [0, 1, 3, 2])
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
