import * as tf from '@tensorflow/tfjs'
import { padOrCrop, toConvPadding } from './conv-geometry.js'

/**
 * Correlates dy (stride 1, the given explicit padding) with a flipped sub-filter [jh, jw, ...rest],
 * giving [batch, rows, cols, inChannels]. Conv2d and depthwise supply their own.
 */
export type PhaseConvolve = (
  dy: tf.Tensor4D,
  flippedTaps: tf.Tensor4D,
  pad: tf.backend_util.ExplicitPadding,
) => tf.Tensor4D

/** How one output phase along one axis reads dy and which filter taps it uses. */
interface AxisPhase {
  /** Filter taps of this phase, in the order the flipped sub-filter holds them. */
  taps: number[]
  /** Rows of dy to add before (negative: remove) and after. */
  padBefore: number
  padAfter: number
}

/**
 * Input gradient of a strided convolution without the zeros: output pixels of phase (ph, pw)
 * (rows ph, ph + s, ...) only meet the filter taps k = (ph + padTop) mod s, k + s, ..., so each
 * phase is a stride-1 correlation of dy with that sub-filter; the phases are then interleaved.
 * Spreading dy with zeros does the same work s*s times over.
 */
export function stridedBackpropInput(args: {
  dy: tf.Tensor4D
  filter: tf.Tensor4D
  geometry: tf.backend_util.Conv2DInfo
  inChannels: number
  convolve: PhaseConvolve
}): tf.Tensor4D {
  const g = args.geometry
  const [sh, sw] = [g.strideHeight, g.strideWidth]
  const rows = Math.ceil(g.inHeight / sh)
  const cols = Math.ceil(g.inWidth / sw)
  const phases: tf.Tensor[] = []

  for (let ph = 0; ph < sh; ph++) {
    const v = axisPhase({
      phase: ph,
      stride: sh,
      size: g.filterHeight,
      pad: g.padInfo.top,
      out: rows,
      dyLength: g.outHeight,
    })
    for (let pw = 0; pw < sw; pw++) {
      const h = axisPhase({
        phase: pw,
        stride: sw,
        size: g.filterWidth,
        pad: g.padInfo.left,
        out: cols,
        dyLength: g.outWidth,
      })
      const part = convolvePhase({ ...args, v, h, rows, cols })
      phases.push(placePhase(part, [ph, pw], [sh, sw]))
    }
  }
  const woven = tf.reshape(tf.addN(phases), [g.batchSize, rows * sh, cols * sw, args.inChannels])
  return padOrCrop(woven as tf.Tensor4D, [0, g.inHeight - rows * sh, 0, g.inWidth - cols * sw])
}

function axisPhase(a: {
  phase: number
  stride: number
  size: number
  pad: number
  out: number
  dyLength: number
}): AxisPhase {
  const first = (((a.phase + a.pad) % a.stride) + a.stride) % a.stride
  const count = first < a.size ? Math.ceil((a.size - first) / a.stride) : 0
  const taps = Array.from({ length: count }, (_, m) => first + a.stride * (count - 1 - m))
  // Output i of this phase reads dy[i + shift - (count - 1)] .. dy[i + shift].
  const shift = (a.phase + a.pad - first) / a.stride
  return { taps, padBefore: count - 1 - shift, padAfter: a.out + shift - a.dyLength }
}

function convolvePhase(args: {
  dy: tf.Tensor4D
  filter: tf.Tensor4D
  v: AxisPhase
  h: AxisPhase
  rows: number
  cols: number
  inChannels: number
  convolve: PhaseConvolve
}): tf.Tensor4D {
  const { dy, v, h } = args
  if (v.taps.length === 0 || h.taps.length === 0) {
    return tf.zeros([dy.shape[0], args.rows, args.cols, args.inChannels])
  }
  const { input, pad } = toConvPadding(dy, [v.padBefore, v.padAfter, h.padBefore, h.padAfter])
  return args.convolve(input, selectTaps(args.filter, v.taps, h.taps), pad)
}

/** Filter taps [rowTaps x colTaps] picked (and so flipped) by a 0/1 matrix product: exact and fast. */
function selectTaps(filter: tf.Tensor4D, rowTaps: number[], colTaps: number[]): tf.Tensor4D {
  const [kh, kw, a, b] = filter.shape
  const picks = new Float32Array(rowTaps.length * colTaps.length * kh * kw)
  let row = 0
  for (const r of rowTaps) {
    for (const c of colTaps) picks[row++ * kh * kw + r * kw + c] = 1
  }
  const selection = tf.tensor2d(picks, [rowTaps.length * colTaps.length, kh * kw])
  const chosen = tf.matMul(selection, tf.reshape(filter, [kh * kw, a * b]))
  return tf.reshape(chosen, [rowTaps.length, colTaps.length, a, b])
}

/** Spreads one phase to its place in the [rows, sh, cols, sw] grid, zeros elsewhere. */
function placePhase(
  part: tf.Tensor4D,
  [ph, pw]: [number, number],
  [sh, sw]: [number, number],
): tf.Tensor {
  const [n, rows, cols, c] = part.shape
  return tf.pad(tf.reshape(part, [n, rows, 1, cols, 1, c]), [
    [0, 0],
    [0, 0],
    [ph, sh - 1 - ph],
    [0, 0],
    [pw, sw - 1 - pw],
    [0, 0],
  ])
}
