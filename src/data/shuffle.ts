/**
 * Fisher-Yates shuffle of `values` in place, drawing from `rng` (uniform in [0, 1)). Returns
 * `values`.
 */
export function shuffleInPlace<T extends { [i: number]: number; length: number }>(
  values: T,
  rng: () => number,
): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1))
    const held = values[i] as number
    values[i] = values[j] as number
    values[j] = held
  }
  return values
}
