import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import { STORE_SCHEMA_VERSION, type StoredRun } from './record.js'

const log = createLogger('store')

/** Default store folder, relative to the working directory. */
export const DEFAULT_STORE_DIR = '.ablate/store'

/** The store folder: `ABLATE_STORE_DIR` when set, else `.ablate/store` under the working directory. */
export function resolveStoreDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.ABLATE_STORE_DIR || DEFAULT_STORE_DIR)
}

/** True when `ABLATE_FRESH` asks every run to be made again (stored results are then overwritten). */
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
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }

  const record = parseRecord(path, text)
  if (record.schemaVersion !== STORE_SCHEMA_VERSION || record.key !== args.key) {
    log('ignoring %s: schema %s, key %s', path, record.schemaVersion, record.key)
    return null
  }
  return record
}

function parseRecord(path: string, text: string): StoredRun {
  try {
    return JSON.parse(text) as StoredRun
  } catch (cause) {
    throw new AblateError(
      'ABLATE_STORE_CORRUPT',
      `stored run ${path} is not valid JSON (${(cause as Error).message}); delete the file to run it again`,
      { cause },
    )
  }
}

/**
 * Writes a run atomically: a temporary file in the same folder, then a rename over the final name,
 * so an interrupted study never leaves a half-written result that a later run would trust.
 */
export async function writeStoredRun(args: { dir: string; run: StoredRun }): Promise<string> {
  const path = runPath({ dir: args.dir, key: args.run.key })
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await mkdir(join(args.dir, args.run.key.slice(0, 2)), { recursive: true })

  try {
    await writeFile(temp, `${JSON.stringify(args.run, null, 2)}\n`, 'utf8')
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  log('stored %s (%s)', path, args.run.state)
  return path
}
