import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { AblateError } from '../errors.js'
import type { EnvironmentFingerprint, ExperimentReport, ReportOptions } from '../report/types.js'
import { readJsonFile } from './json-file.js'

/** Version of a committed baseline's JSON layout. */
export const BASELINE_SCHEMA_VERSION = 1

/** Default folder of committed baselines, relative to the working directory. */
export const DEFAULT_BASELINES_DIR = 'baselines'

/** One committed baseline: the finished runs of every variant of one experiment. */
export interface BaselineFile {
  schemaVersion: typeof BASELINE_SCHEMA_VERSION
  experiment: string
  /** ISO 8601 time it was saved. */
  savedAt: string
  environment: EnvironmentFingerprint
  options: ReportOptions
  variants: BaselineVariant[]
}

/** A variant's finished runs as saved; failed runs are left out. */
export interface BaselineVariant {
  name: string
  config: Record<string, unknown>
  runs: { seed: number; value: number; metrics: Record<string, number> }[]
}

/** The baseline that `npm run baseline:save` commits for one experiment's report. */
export function baselineFromReport(report: ExperimentReport, savedAt = new Date()): BaselineFile {
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    experiment: report.experiment,
    savedAt: savedAt.toISOString(),
    environment: report.environment,
    options: report.options,
    variants: report.variants.map((variant) => ({
      name: variant.name,
      config: variant.config,
      runs: variant.runs.flatMap((run) =>
        run.state === 'failed' ? [] : [{ seed: run.seed, value: run.value, metrics: run.metrics }],
      ),
    })),
  }
}

/** Path of an experiment's baseline: `<dir>/<slug>.json`. */
export function baselinePath(args: { dir: string; slug: string }): string {
  return join(args.dir, `${args.slug}.json`)
}

/** Reads a committed baseline, or null when the file does not exist. */
export async function readBaselineFile(path: string): Promise<BaselineFile | null> {
  const file = await readJsonFile<BaselineFile>({
    path,
    what: 'baseline',
    remedy: 'restore it from git or save it again',
  })
  if (file === null) return null

  if (file.schemaVersion !== BASELINE_SCHEMA_VERSION) {
    throw new AblateError(
      'ABLATE_BASELINE_MISMATCH',
      `baseline ${path} has schemaVersion ${file.schemaVersion}, expected ${BASELINE_SCHEMA_VERSION}; save it again with \`npm run baseline:save\``,
    )
  }
  return file
}

/** Writes a baseline atomically (temp file + rename). */
export async function writeBaselineFile(args: { path: string; file: BaselineFile }): Promise<void> {
  await writeFileAtomic({ path: args.path, data: `${JSON.stringify(args.file, null, 2)}\n` })
}
