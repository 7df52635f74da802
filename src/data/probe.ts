import { stat } from 'node:fs/promises'
import sharp from 'sharp'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { mapConcurrent } from './pool.js'

const log = createLogger('data')

/** A file that was left out, and why. */
export interface SkippedImage {
  path: string
  reason: string
}

/**
 * A file to check, with where it came from for messages ("class folder cat", "labels.csv line 4").
 */
export interface ProbeCandidate {
  path: string
  origin: string
}

/**
 * Reads every candidate's header with sharp (format, size, channels): catches missing files, empty
 * files, files that are not images and corrupt headers. Pixel data is checked later, at decode.
 * Returns the indices of readable candidates; unreadable ones throw unless `skipUnreadable`.
 */
export async function probeImages(args: {
  candidates: readonly ProbeCandidate[]
  skipUnreadable: boolean
  concurrency: number
}): Promise<{ readable: number[]; skipped: SkippedImage[] }> {
  const reasons = await mapConcurrent({
    items: args.candidates,
    concurrency: args.concurrency,
    work: (candidate) => findUnreadableReason(candidate.path),
  })

  const readable: number[] = []
  const skipped: SkippedImage[] = []
  reasons.forEach((reason, index) => {
    const candidate = args.candidates[index] as ProbeCandidate
    if (reason === null) readable.push(index)
    else if (args.skipUnreadable) skipped.push({ path: candidate.path, reason })
    else throw unreadableError(candidate, reason)
  })
  if (skipped.length > 0) log('skipped %d unreadable images', skipped.length)
  return { readable, skipped }
}

async function findUnreadableReason(path: string): Promise<string | null> {
  const info = await stat(path).catch(() => null)
  if (info === null) return 'the file does not exist'
  if (!info.isFile()) return 'not a regular file'
  if (info.size === 0) return 'an empty file (0 bytes)'
  try {
    const meta = await sharp(path).metadata()
    return meta.width && meta.height ? null : 'an image without width or height'
  } catch (error) {
    return firstLine(error instanceof Error ? error.message : String(error))
  }
}

function unreadableError(candidate: ProbeCandidate, reason: string): AblateError {
  return new AblateError(
    'ABLATE_DATA_INVALID',
    `Expected a readable JPEG, PNG, WebP or TIFF image at ${candidate.path} (${candidate.origin}), ` +
      `found: ${reason}. Replace or remove the file, or set data.skipUnreadable: true to skip ` +
      'unreadable images (they are counted in `skipped`).',
  )
}

/** sharp repeats libvips warnings over many lines; the first says what went wrong. */
export function firstLine(message: string): string {
  return message.split('\n')[0]?.trim() ?? message
}
