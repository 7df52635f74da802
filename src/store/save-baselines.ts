import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AblateError } from '../errors.js'
import { slugify } from '../report/format.js'
import { type ExperimentReport, REPORT_SCHEMA_VERSION } from '../report/types.js'
import { baselineFromReport, baselinePath, writeBaselineFile } from './baseline.js'

/** What `saveBaselines` did for one experiment. */
export interface SavedBaseline {
  experiment: string
  path: string
  /** Finished runs saved, over all variants. */
  runs: number
  /** Variants with fewer finished runs than the experiment's repetitions (failed or filtered). */
  incomplete: string[]
}

/**
 * Turns the reports of the last bench run (`<reportsDir>/<experiment>.json`) into committed
 * baselines (`<baselinesDir>/<experiment>.json`), for every experiment or only those named.
 */
export async function saveBaselines(args: {
  reportsDir: string
  baselinesDir: string
  /** Default: every experiment with a report. */
  experiments?: string[]
}): Promise<SavedBaseline[]> {
  const reports = await readReports(args.reportsDir)
  const wanted = args.experiments?.length ? args.experiments : reports.map((r) => r.experiment)
  const missing = wanted.filter((name) => !reports.some((r) => r.experiment === name))
  if (missing.length > 0) {
    throw new AblateError(
      'ABLATE_BASELINE_MISMATCH',
      `no report for experiment ${missing.map((m) => `'${m}'`).join(', ')} under ${args.reportsDir}; run \`npm run bench\` first (found: ${reports.map((r) => r.experiment).join(', ') || 'none'})`,
    )
  }

  const saved: SavedBaseline[] = []
  for (const report of reports.filter((r) => wanted.includes(r.experiment))) {
    const path = baselinePath({ dir: args.baselinesDir, slug: slugify(report.experiment) })
    const file = baselineFromReport(report)
    await writeBaselineFile({ path, file })
    saved.push({
      experiment: report.experiment,
      path,
      runs: file.variants.reduce((sum, v) => sum + v.runs.length, 0),
      incomplete: file.variants
        .filter((v) => v.runs.length < report.options.repetitions)
        .map((v) => v.name),
    })
  }
  return saved
}

async function readReports(dir: string): Promise<ExperimentReport[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (cause) {
    throw new AblateError(
      'ABLATE_BASELINE_MISMATCH',
      `no reports folder at ${dir}; run \`npm run bench\` first, or set ABLATE_REPORTS_DIR`,
      { cause },
    )
  }
  const files = names.filter((n) => n.endsWith('.json') && n !== 'summary.json').sort()
  const reports = await Promise.all(files.map((n) => readReport(join(dir, n))))
  return reports.filter((r): r is ExperimentReport => r !== null)
}

async function readReport(path: string): Promise<ExperimentReport | null> {
  const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<ExperimentReport>
  if (parsed.schemaVersion !== REPORT_SCHEMA_VERSION || typeof parsed.experiment !== 'string') {
    return null
  }
  return parsed as ExperimentReport
}
