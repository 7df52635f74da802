/**
 * `npm run baseline:save [-- <experiment> ...]`: saves the results of the last `npm run bench`
 * (reports/<experiment>.json) as the committed baselines (baselines/<experiment>.json) that the
 * regression gate of later bench runs compares with. Folders: ABLATE_REPORTS_DIR, ABLATE_BASELINES_DIR.
 */
import { resolve } from 'node:path'
import { saveBaselines } from '../src/store/index.js'

const reportsDir = resolve(process.env.ABLATE_REPORTS_DIR || 'reports')
const baselinesDir = resolve(process.env.ABLATE_BASELINES_DIR || 'baselines')

try {
  const saved = await saveBaselines({
    reportsDir,
    baselinesDir,
    experiments: process.argv.slice(2),
  })
  for (const entry of saved) {
    const partial =
      entry.incomplete.length > 0 ? ` (incomplete: ${entry.incomplete.join(', ')})` : ''
    console.log(`saved ${entry.path}: ${entry.runs} runs of '${entry.experiment}'${partial}`)
  }
  if (saved.length === 0) console.log(`no experiment reports under ${reportsDir}`)
} catch (error) {
  console.error((error as Error).message)
  process.exitCode = 1
}
