import { readFile } from 'node:fs/promises'
import { AblateError } from '../errors.js'

/**
 * Reads and parses a JSON file, or null when it does not exist. A file that is not valid JSON
 * throws ABLATE_STORE_CORRUPT naming it, e.g. `baseline <path> is not valid JSON (...); <remedy>`.
 * The parsed value is trusted to be a `T`; callers check its schema version.
 */
export async function readJsonFile<T>(args: {
  path: string
  /** What the file is, for the message: 'stored run', 'baseline'. */
  what: string
  /** What to do about a corrupt file, for the message. */
  remedy: string
}): Promise<T | null> {
  let text: string
  try {
    text = await readFile(args.path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }

  try {
    return JSON.parse(text) as T
  } catch (cause) {
    throw new AblateError(
      'ABLATE_STORE_CORRUPT',
      `${args.what} ${args.path} is not valid JSON (${(cause as Error).message}); ${args.remedy}`,
      { cause },
    )
  }
}
