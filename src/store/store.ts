import { join, resolve } from 'node:path'
import { writeFileAtomic } from '../atomic-write.js'
import { createLogger } from '../log.js'
import { readJsonFile } from './json-file.js'
import { STORE_SCHEMA_VERSION, type StoredRun } from './record.js'

const log = createLogger('store')

/** Default store folder, relative to the working directory. */
export const DEFAULT_STORE_DIR = '.ablate/store'

/** The store folder: `ABLATE_STORE_DIR` when set, else `.ablate/store` in the working directory. */
export function resolveStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ABLATE_STORE_DIR || DEFAULT_STORE_DIR)
}

/** True when `ABLATE_FRESH` asks for every run to be made again (overwriting stored results). */
export function isFreshRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.ABLATE_FRESH
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

/** Path of the file holding the run with this key. */
export function runPath(args: { dir: string; key: string }): string {
  return join(args.dir, args.key.slice(0, 2), `${args.key}.json`)
}

/**
 * Reads the run stored under `key`, or null when there is none or it has another schema version.
 * A file that is not valid JSON throws ABLATE_STORE_CORRUPT naming the file.
 */
export async function readStoredRun(args: { dir: string; key: string }): Promise<StoredRun | null> {
  const path = runPath(args)
  const record = await readJsonFile<StoredRun>({
    path,
    what: 'stored run',
    remedy: 'delete the file to run it again',
  })
  if (record === null) return null

  if (record.schemaVersion !== STORE_SCHEMA_VERSION || record.key !== args.key) {
    log('ignoring %s: schema %s, key %s', path, record.schemaVersion, record.key)
    return null
  }
  return record
}

/**
 * Writes a run atomically: a temporary file in the same folder, then a rename over the final name,
 * so an interrupted study never leaves a half-written result that a later run would trust.
 */
export async function writeStoredRun(args: { dir: string; run: StoredRun }): Promise<string> {
  const path = runPath({ dir: args.dir, key: args.run.key })
  await writeFileAtomic({ path, data: `${JSON.stringify(args.run, null, 2)}\n` })
  log('stored %s (%s)', path, args.run.state)
  return path
}
