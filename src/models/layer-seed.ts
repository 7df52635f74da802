/**
 * Per-layer seeds derived from a run seed and a layer name, so that every new layer starts from the
 * same weights for the same run seed whatever the build order.
 */

const FNV_OFFSET = 0x811c9dc5
const FNV_PRIME = 0x01000193
/** Largest seed handed to tfjs: initializers and seedrandom take any positive 31-bit integer. */
const MAX_SEED = 0x7fffffff

/**
 * A seed in 1..2^31-1 from a run seed and a layer name. Never 0: tfjs initializers read `seed: 0`
 * as "no seed" and would draw from `Math.random`.
 */
export function deriveLayerSeed(args: { seed: number; name: string }): number {
  // FNV-1a over the name, with the run seed folded in first; hand-written because it is 10 lines.
  let hash = Math.imul(FNV_OFFSET ^ (args.seed >>> 0), FNV_PRIME)
  hash = Math.imul(hash ^ Math.floor(args.seed / 2 ** 32), FNV_PRIME)
  for (let i = 0; i < args.name.length; i++) {
    hash = Math.imul(hash ^ args.name.charCodeAt(i), FNV_PRIME)
  }
  return ((hash >>> 0) % MAX_SEED) + 1
}
