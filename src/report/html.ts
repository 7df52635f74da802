/**
 * The HTML report: one self-contained `index.html` with, per experiment, a plot of each arm's
 * per-seed values with mean and 95% CI (baseline marked), the verdict table, counts, wall time and
 * environment. Plots are Vega-Lite compiled to Vega and rendered to SVG in Node; the page has no
 * script and loads nothing from outside, so it opens offline.
 */

import { join } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { renderPage } from './html-page.js'
import { renderExperimentSection } from './html-section.js'
import type { ExperimentReport, ReportWriter } from './types.js'

const log = createLogger('report:html')

/** Renders every experiment into one HTML document (a string); pure apart from CPU time. */
export async function renderHtmlReport(reports: readonly ExperimentReport[]): Promise<string> {
  const sections: string[] = []
  // Sequential on purpose: Vega rendering is synchronous CPU work, parallel promises gain nothing.
  for (const [index, report] of reports.entries()) {
    sections.push(await renderExperimentSection({ report, index }))
  }
  return renderPage({ reports, sections })
}

/**
 * Writes `<dir>/index.html` for all experiments of a bench run, atomically (temp file + rename), so
 * that a reader never sees half a page. The reporter calls it once, at the end of the run.
 */
export async function writeHtmlReport(args: {
  reports: readonly ExperimentReport[]
  dir: string
}): Promise<void> {
  const startMs = performance.now()
  const html = await renderHtmlReport(args.reports)
  const path = join(args.dir, 'index.html')

  try {
    await writeFileAtomic({ path, data: html })
  } catch (error) {
    throw new AblateError(
      'ABLATE_REPORT_WRITE',
      `writeHtmlReport: expected to write ${path}, but it failed (${String(error)}). ` +
        'Check that the reports folder is writable.',
      { cause: error },
    )
  }
  const ms = Math.round(performance.now() - startMs)
  log('wrote %s (%d experiments, %d bytes) in %d ms', path, args.reports.length, html.length, ms)
}

/** `writeHtmlReport` typed as the harness's writer, for its list of extra writers. */
export const htmlReportWriter: ReportWriter = writeHtmlReport
