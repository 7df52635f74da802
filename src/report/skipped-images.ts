/**
 * The warning about images a study's runs left out as unreadable, read from the runs' `details`
 * (the training engine stores `skipped: { path, reason }[]` and the count `skippedImages`). A skip
 * the report does not mention would silently shrink every run's data.
 */
import type { SeedRun } from './types.js'

/** Paths named in the warning; the rest are counted. */
const LISTED = 5

interface Skip {
  path: string
  reason: string
}

/**
 * One warning naming the images that the finished runs skipped (each path once, at most five,
 * then "and N more"), or null when none did. Runs stored before the list existed count by their
 * `skippedImages`.
 */
export function skippedImagesWarning(runs: readonly SeedRun[]): string | null {
  const finished = runs.filter((run) => run.state !== 'failed')
  const unique = new Map<string, Skip>()
  for (const run of finished) {
    for (const skip of readSkips(run.details)) unique.set(skip.path, skip)
  }
  const counted = Math.max(0, ...finished.map((run) => readCount(run.details)))
  const total = Math.max(unique.size, counted)
  if (total === 0) return null

  const were = total === 1 ? 'image was' : 'images were'
  return (
    `${total} ${were} skipped as unreadable (data.skipUnreadable): ` +
    `${describeSkips([...unique.values()], total)}; fix or remove them, or they stay out of every run`
  )
}

/** The first paths with their reasons, then how many more; old runs recorded no paths. */
function describeSkips(skips: Skip[], total: number): string {
  if (skips.length === 0) return 'the runs did not record which'
  const named = skips.slice(0, LISTED).map((s) => `${s.path} (${s.reason})`)
  const rest = total - named.length
  return [...named, ...(rest > 0 ? [`and ${rest} more`] : [])].join('; ')
}

function readSkips(details: Record<string, unknown> | undefined): Skip[] {
  const skipped = details?.skipped
  if (!Array.isArray(skipped)) return []
  return skipped.filter(
    (s): s is Skip =>
      typeof s === 'object' &&
      s !== null &&
      typeof (s as Skip).path === 'string' &&
      typeof (s as Skip).reason === 'string',
  )
}

function readCount(details: Record<string, unknown> | undefined): number {
  const count = details?.skippedImages
  return typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : 0
}
