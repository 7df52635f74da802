/**
 * A/A benchmark: how often do ablate's verdicts and its regression gate raise a false alarm when no
 * variant differs from its baseline? Simulates seeded studies shaped like the shipped ones (6 seeds,
 * 1 baseline + 4 variants, macro F1 around 0.80 with a per-seed component shared by every arm, so
 * that pairing matters) and prints the false-alarm rates with their binomial 95% bands.
 * Prints, never asserts. Run: `npx tsx bench/aa-false-alarms.ts [studies]` (default 2000).
 */
import seedrandom from 'seedrandom'
import { type Arm, analyzeExperiment, gateRegressions, type TestKind } from '../src/stats/index.js'

const STUDIES = Number(process.argv[2] ?? 2000)
const SEEDS = [0, 1, 2, 3, 4, 5]
const VARIANTS = 4
const ALPHA = 0.05
const ROPE = 0.01
const TESTS: TestKind[] = [
  'paired-t',
  'welch',
  'sign-flip',
  'permutation',
  'wilcoxon',
  'mann-whitney',
]
/** Realistic spread of macro F1 over fine-tuning seeds: split + init (shared) and run noise. */
const NOISE = { mean: 0.8, seedSd: 0.02, runSd: 0.012 }
/** True improvements of one variant for the detection table, in F1 points. */
const EFFECTS = [0.02, 0.04, 0.06]

function normal(rng: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - rng()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

function simulateArm(args: { name: string; seedEffects: number[]; rng: () => number }): Arm {
  const { name, seedEffects, rng } = args
  const values = seedEffects.map((e) => {
    const f1 = NOISE.mean + e + NOISE.runSd * normal(rng)
    return Math.min(1, Math.max(0, f1))
  })
  return { name, values, seeds: [...SEEDS] }
}

/** One study; `trueEffect` is added to the first variant only (0 for the A/A case). */
function simulateStudy(rng: () => number, trueEffect = 0): { baseline: Arm; variants: Arm[] } {
  const seedEffects = SEEDS.map(() => NOISE.seedSd * normal(rng))
  const baseline = simulateArm({ name: 'baseline', seedEffects, rng })
  const variants = Array.from({ length: VARIANTS }, (_, i) => {
    const shifted = seedEffects.map((e) => e + (i === 0 ? trueEffect : 0))
    return simulateArm({ name: `v${i}`, seedEffects: shifted, rng })
  })
  return { baseline, variants }
}

/** Share of studies whose first variant, truly better by `effect`, is called 'better'. */
function detectionRate(test: TestKind, effect: number, studies: number): number {
  const rng = seedrandom(`ablate:power:${test}:${effect}`)
  const options = { alpha: ALPHA, rope: ROPE, direction: 'higher' as const, test, power: null }
  let hits = 0
  for (let s = 0; s < studies; s++) {
    const analysis = analyzeExperiment({ ...options, ...simulateStudy(rng, effect) })
    if (analysis.variants[0]?.verdict?.kind === 'better') hits++
  }
  return hits / studies
}

interface Tally {
  verdictAlarms: number
  significant: number
  equivalent: number
  gateAlarms: number
}

function runTest(test: TestKind): Tally {
  const rng = seedrandom(`ablate:aa:${test}`)
  const tally = { verdictAlarms: 0, significant: 0, equivalent: 0, gateAlarms: 0 }
  const options = { alpha: ALPHA, rope: ROPE, direction: 'higher' as const, test }
  for (let s = 0; s < STUDIES; s++) {
    const study = simulateStudy(rng)
    const analysis = analyzeExperiment({ ...options, ...study, power: null })
    const kinds = analysis.variants.map((v) => v.verdict?.kind)
    if (kinds.some((k) => k === 'better' || k === 'worse')) tally.verdictAlarms++
    if (analysis.variants.some((v) => (v.pAdjusted ?? 1) < ALPHA)) tally.significant++
    tally.equivalent += kinds.filter((k) => k === 'equivalent').length
    // Gate: the stored baseline runs of every arm against a fresh A/A rerun of the same seeds.
    const rerun = simulateStudy(rng)
    const comparisons = [study.baseline, ...study.variants].map((stored, i) => ({
      key: stored.name,
      baseline: stored,
      current: rerun.variants[i] ?? rerun.baseline,
    }))
    if (gateRegressions({ ...options, comparisons }).failed) tally.gateAlarms++
  }
  return tally
}

function band(rate: number, n: number): string {
  // Wilson score interval of a binomial proportion.
  const z = 1.959964
  const centre = (rate + (z * z) / (2 * n)) / (1 + (z * z) / n)
  const half = (z * Math.sqrt((rate * (1 - rate)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n)
  return `[${(centre - half).toFixed(4)}, ${(centre + half).toFixed(4)}]`
}

function main(): void {
  const upper = ALPHA + 1.959964 * Math.sqrt((ALPHA * (1 - ALPHA)) / STUDIES)
  console.log(
    `A/A false alarms: ${STUDIES} studies per test, ${SEEDS.length} seeds, 1 baseline + ` +
      `${VARIANTS} variants, no true difference; alpha ${ALPHA}, rope ±${ROPE}; F1 ~ ` +
      `${NOISE.mean} + seed N(0, ${NOISE.seedSd}) + run N(0, ${NOISE.runSd}).`,
  )
  console.log(`Acceptable: rate <= alpha within binomial noise, i.e. <= ${upper.toFixed(4)}.`)
  console.log(
    'rate (Wilson 95% band) | verdict better/worse | any Holm p < alpha | gate failed | equivalent rows',
  )
  for (const test of TESTS) {
    const started = performance.now()
    const t = runTest(test)
    const cells = [t.verdictAlarms, t.significant, t.gateAlarms].map((count) => {
      const rate = count / STUDIES
      return `${rate.toFixed(4)} ${band(rate, STUDIES)}${rate > upper ? ' TOO HIGH' : ''}`
    })
    const equivalent = (t.equivalent / (STUDIES * VARIANTS)).toFixed(3)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(`${test.padEnd(13)} | ${cells.join(' | ')} | ${equivalent} | ${seconds} s`)
  }
  printDetection()
}

/** Not a false-alarm figure: shows that the same verdicts do find real effects. */
function printDetection(): void {
  const studies = Math.max(100, Math.round(STUDIES / 4))
  console.log(
    `\nFor contrast, share of ${studies} studies calling a truly better variant 'better':`,
  )
  console.log(`test          | ${EFFECTS.map((e) => `+${e}`.padEnd(6)).join(' | ')}`)
  for (const test of TESTS) {
    const rates = EFFECTS.map((e) => detectionRate(test, e, studies).toFixed(3).padEnd(6))
    console.log(`${test.padEnd(13)} | ${rates.join(' | ')}`)
  }
}

main()
