import seedrandom from 'seedrandom'
import { expect } from 'vitest'

/**
 * Seeded values in [-1, 1) as a plain array, for comparing backends: data is made on each backend
 * from the array, never carried across a switch.
 */
export function randomArray(size: number, seed: string): Float32Array {
  const rng = seedrandom(seed)
  return Float32Array.from({ length: size }, () => rng() * 2 - 1)
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** Max abs difference over max abs reference value: the relative error of the whole tensor. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length)
  let diff = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!))
    scale = Math.max(scale, Math.abs(expected[i]!))
  }
  return diff / Math.max(scale, 1e-30)
}
