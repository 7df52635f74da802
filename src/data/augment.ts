import * as tf from '@tensorflow/tfjs'
import { AblateError } from '../errors.js'
import type { AugmentConfig } from '../train/config.js'
import { adjustContrastPerImage, requireRgb } from './preprocess.js'

/** Random numbers drawn per image, whatever the config, so every config consumes `rng` alike. */
export const DRAWS_PER_IMAGE = 7

/** One image's `DRAWS_PER_IMAGE` uniform draws. */
type Draws = [number, number, number, number, number, number, number]

/** An `AugmentConfig` with every default filled in. */
export type ResolvedAugmentConfig = Required<AugmentConfig>

/** The augmentation drawn for one image. Angles in radians, shifts in pixels. */
export interface AugmentParams {
  flipHorizontal: boolean
  flipVertical: boolean
  angleRad: number
  contrastFactor: number
  shiftXPx: number
  shiftYPx: number
  /** Above 1 zooms in, below 1 zooms out. */
  zoomScale: number
}

/**
 * Fills defaults (no flip, no rotation, contrast, translation or zoom) and checks ranges:
 * rotationDeg in [0, 360], contrast in [0, 1], translate and zoom in [0, 1).
 */
export function resolveAugmentConfig(augment: AugmentConfig): ResolvedAugmentConfig {
  const resolved: ResolvedAugmentConfig = {
    flip: augment.flip ?? false,
    rotationDeg: augment.rotationDeg ?? 0,
    contrast: augment.contrast ?? 0,
    translate: augment.translate ?? 0,
    zoom: augment.zoom ?? 0,
  }
  requireRange({
    name: 'augment.rotationDeg',
    value: resolved.rotationDeg,
    max: 360,
    maxOpen: false,
  })
  requireRange({ name: 'augment.contrast', value: resolved.contrast, max: 1, maxOpen: false })
  requireRange({ name: 'augment.translate', value: resolved.translate, max: 1, maxOpen: true })
  requireRange({ name: 'augment.zoom', value: resolved.zoom, max: 1, maxOpen: true })
  if (![false, 'horizontal', 'vertical', 'both'].includes(resolved.flip)) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected augment.flip to be false, 'horizontal', 'vertical' or 'both', found ` +
        `${JSON.stringify(resolved.flip)}.`,
    )
  }
  return resolved
}

function requireRange(args: { name: string; value: number; max: number; maxOpen: boolean }): void {
  const { name, value, max, maxOpen } = args
  const ok = Number.isFinite(value) && value >= 0 && (maxOpen ? value < max : value <= max)
  if (ok) return
  throw new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected ${name} in [0, ${max}${maxOpen ? ')' : ']'}, found ${value}. 0 turns it off.`,
  )
}

/** True when the config changes nothing (every strength zero, no flips). */
export function isIdentityAugment(augment: AugmentConfig): boolean {
  const r = resolveAugmentConfig(augment)
  return !r.flip && r.rotationDeg === 0 && r.contrast === 0 && r.translate === 0 && r.zoom === 0
}

/**
 * Draws each image's augmentation from `rng`: exactly `DRAWS_PER_IMAGE` draws per image in a fixed
 * order (flip x, flip y, angle, contrast, shift x, shift y, zoom), each used only if enabled. Flips
 * happen with probability 1/2; the others are uniform in [-strength, +strength].
 */
export function drawAugmentParams(args: {
  n: number
  height: number
  width: number
  augment: AugmentConfig
  rng: () => number
}): AugmentParams[] {
  const a = resolveAugmentConfig(args.augment)
  const flipX = a.flip === 'horizontal' || a.flip === 'both'
  const flipY = a.flip === 'vertical' || a.flip === 'both'
  const symmetric = (u: number, strength: number) => (2 * u - 1) * strength

  return Array.from({ length: args.n }, () => {
    const draws = Array.from({ length: DRAWS_PER_IMAGE }, () => args.rng())
    const [flipU, flipV, angle, contrast, shiftX, shiftY, zoom] = draws as Draws
    return {
      flipHorizontal: flipX && flipU < 0.5,
      flipVertical: flipY && flipV < 0.5,
      angleRad: (symmetric(angle, a.rotationDeg) * Math.PI) / 180,
      contrastFactor: 1 + symmetric(contrast, a.contrast),
      shiftXPx: symmetric(shiftX, a.translate) * args.width,
      shiftYPx: symmetric(shiftY, a.translate) * args.height,
      zoomScale: 1 + symmetric(zoom, a.zoom),
    }
  })
}

/**
 * Seeded random augmentation of a batch of 0..255 images [n, h, w, 3], batched on the tfjs backend:
 * one projective `tf.image.transform` per batch (flips, rotation about the centre, translation,
 * zoom; bilinear, edge pixels repeated outward), then a per-image contrast factor around each
 * image's mean. Output is float32 in 0..255 with the input's shape; the input is not disposed. With
 * an identity config the output equals the input, and `rng` is still drawn `DRAWS_PER_IMAGE` times
 * per image, so configs that differ only in strengths consume the stream alike.
 */
export function augmentBatch(args: {
  images: tf.Tensor4D
  augment: AugmentConfig
  rng: () => number
}): tf.Tensor4D {
  const { images } = args
  requireRgb(images, 'augmentBatch')
  const [n, height, width] = images.shape
  const params = drawAugmentParams({ n, height, width, augment: args.augment, rng: args.rng })
  return applyAugmentParams({ images, params })
}

/** Applies drawn augmentations (one per image) to 0..255 images; see `augmentBatch`. */
export function applyAugmentParams(args: {
  images: tf.Tensor4D
  params: readonly AugmentParams[]
}): tf.Tensor4D {
  const { images, params } = args
  requireRgb(images, 'applyAugmentParams')
  if (params.length !== images.shape[0]) {
    throw new AblateError(
      'ABLATE_DATA_INVALID',
      `Expected one augmentation per image (${images.shape[0]}), found ${params.length}.`,
    )
  }

  const [, height, width] = images.shape
  const geometric = params.some((p) => !isIdentityGeometry(p))
  const contrast = params.some((p) => p.contrastFactor !== 1)
  return tf.tidy(() => {
    let x: tf.Tensor4D = images.toFloat()
    if (geometric) x = transformImages({ images: x, params, height, width })
    if (contrast) {
      x = adjustContrastPerImage({ images: x, factors: params.map((p) => p.contrastFactor) })
    }
    return geometric || contrast ? x : x.clone()
  })
}

function isIdentityGeometry(p: AugmentParams): boolean {
  return (
    !p.flipHorizontal &&
    !p.flipVertical &&
    p.angleRad === 0 &&
    p.shiftXPx === 0 &&
    p.shiftYPx === 0 &&
    p.zoomScale === 1
  )
}

function transformImages(args: {
  images: tf.Tensor4D
  params: readonly AugmentParams[]
  height: number
  width: number
}): tf.Tensor4D {
  const rows = args.params.map((p) =>
    outputToInputMatrix({ p, height: args.height, width: args.width }),
  )
  const transforms = tf.tensor2d(rows.flat(), [rows.length, 8])
  const warped = CPU_TRANSFORM_FIRST_IMAGE_ONLY.has(tf.getBackend())
    ? transformOneByOne(args.images, transforms)
    : tf.image.transform(args.images, transforms, 'bilinear', FILL_MODE)
  // Bilinear weights are convex, but float rounding can step a hair outside 0..255.
  return warped.clipByValue(0, 255) as tf.Tensor4D
}

/**
 * Pixels sampled from outside the image repeat the nearest edge pixel. Not Keras's default
 * 'reflect': tfjs-backend-wasm 4.22 maps sub-pixel coordinates in reflect mode differently from the
 * cpu kernel (up to 228 grey levels apart at the borders), while 'nearest' agrees to 1e-3.
 */
const FILL_MODE = 'nearest'

/**
 * Known shortcoming: tfjs-backend-cpu 4.22's Transform kernel returns from inside its batch loop,
 * so only the first image of a batch is transformed (the rest come back as the fill value). On that
 * backend images go through one at a time; remove this set when a tfjs release fixes the kernel.
 */
const CPU_TRANSFORM_FIRST_IMAGE_ONLY = new Set(['cpu'])

function transformOneByOne(images: tf.Tensor4D, transforms: tf.Tensor2D): tf.Tensor4D {
  const singles = tf.split(images, images.shape[0], 0) as tf.Tensor4D[]
  const rows = tf.split(transforms, transforms.shape[0], 0) as tf.Tensor2D[]
  const warped = singles.map((image, i) =>
    tf.image.transform(image, rows[i] as tf.Tensor2D, 'bilinear', FILL_MODE),
  )
  return tf.concat(warped, 0)
}

/**
 * The row [a0, a1, a2, b0, b1, b2, 0, 0] that maps an output pixel (x, y) to the input point it
 * samples: input = M (output - centre) + centre - shift, with M = R(angle) * F / zoom and F the
 * flips. Flips alone give integer coordinates, so they are exact and applying one twice is the
 * identity.
 */
export function outputToInputMatrix(args: {
  p: AugmentParams
  height: number
  width: number
}): number[] {
  const { p } = args
  const cx = (args.width - 1) / 2
  const cy = (args.height - 1) / 2
  const fx = p.flipHorizontal ? -1 : 1
  const fy = p.flipVertical ? -1 : 1
  const cos = Math.cos(p.angleRad) / p.zoomScale
  const sin = Math.sin(p.angleRad) / p.zoomScale

  const m00 = cos * fx
  const m01 = -sin * fy
  const m10 = sin * fx
  const m11 = cos * fy
  const a2 = cx - m00 * cx - m01 * cy - p.shiftXPx
  const b2 = cy - m10 * cx - m11 * cy - p.shiftYPx
  return [m00, m01, a2, m10, m11, b2, 0, 0]
}
