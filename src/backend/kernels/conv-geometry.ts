import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../../errors.js'

/** Attributes shared by the convolution gradient kernels (tfjs kernel attribute names). */
export interface ConvGradAttrs {
  strides: [number, number] | number
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding
  dilations?: [number, number] | number
  dataFormat?: 'NHWC' | 'NCHW'
  dimRoundingMode?: 'floor' | 'round' | 'ceil'
}

/** Sizes of one 2-D convolution, resolved from shapes and attributes by tfjs' own rules. */
export type ConvGeometry = tf.backend_util.Conv2DInfo

/** Resolves the geometry of the forward convolution whose gradient a kernel computes. */
export function resolveConvGeometry(args: {
  kernelName: string
  inputShape: readonly number[]
  filterShape: readonly number[]
  attrs: ConvGradAttrs
  depthwise: boolean
}): ConvGeometry {
  const { kernelName, inputShape, filterShape, attrs, depthwise } = args
  if (attrs.dataFormat === 'NCHW') {
    throw new AblateError(
      'ABLATE_BACKEND_UNSUPPORTED',
      `${kernelName} on wasm expects dataFormat 'NHWC', found 'NCHW': use channels-last layers.`,
    )
  }

  return tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  )
}

/**
 * Pads (positive amounts) or crops (negative amounts) the two spatial axes of an NHWC tensor.
 * Amounts are [top, bottom, left, right] in pixels.
 */
export function padOrCrop(
  x: tf.Tensor4D,
  amounts: readonly [number, number, number, number],
): tf.Tensor4D {
  const [top, bottom, left, right] = amounts
  const padded =
    top > 0 || bottom > 0 || left > 0 || right > 0
      ? tf.pad(x, [
          [0, 0],
          [Math.max(top, 0), Math.max(bottom, 0)],
          [Math.max(left, 0), Math.max(right, 0)],
          [0, 0],
        ])
      : x
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return padded

  const [n, h, w, c] = padded.shape
  const begin = [0, Math.max(-top, 0), Math.max(-left, 0), 0]
  const size = [
    n,
    h - Math.max(-top, 0) - Math.max(-bottom, 0),
    w - Math.max(-left, 0) - Math.max(-right, 0),
    c,
  ]
  return tf.slice(padded, begin, size)
}

/**
 * Splits [top, bottom, left, right] pixel amounts for a convolution: negative amounts are cropped
 * from x now, positive ones become the convolution's explicit padding, which XNNPACK applies for
 * free instead of copying a padded tensor.
 */
export function toConvPadding(
  x: tf.Tensor4D,
  amounts: readonly [number, number, number, number],
): { input: tf.Tensor4D; pad: tf.backend_util.ExplicitPadding } {
  const [top, bottom, left, right] = amounts
  const crop = amounts.map((a) => Math.min(a, 0)) as [number, number, number, number]
  const input = crop.some((a) => a < 0) ? padOrCrop(x, crop) : x
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ]
  return { input, pad }
}
