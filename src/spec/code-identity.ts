import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cachedPromise } from '../promise-cache.js'

/** Environment variables that change the default run's numbers (the backend and its mode). */
const ENGINE_ENV: readonly string[] = ['ABLATE_BACKEND', 'ABLATE_DETERMINISTIC']

/** The folders of src/ whose code makes the default run's numbers (reporting and stats do not). */
export const ENGINE_FOLDERS: readonly string[] = ['backend', 'data', 'metrics', 'models', 'train']

/**
 * Packages whose code makes the default run's numbers: tfjs computes them, sharp decodes pixels,
 * and an installed tfjs-node(-gpu) changes which backend 'auto' picks.
 */
const ENGINE_PACKAGES: readonly string[] = [
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  'sharp',
]

const SRC_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const identities = new Map<string, Promise<string>>()

/**
 * Identity of the code behind the default run, for the store key: sha256 over the path and content
 * of every file under `srcRoot`'s engine folders, the versions of the packages that compute and
 * decode, and ABLATE_BACKEND / ABLATE_DETERMINISTIC. Any edit there gives every run a new key, so a
 * stored result is never reused across a change of the training code or of the backend. Computed
 * once per process (about 150 small files).
 */
export function engineCodeIdentity(srcRoot: string = SRC_ROOT): Promise<string> {
  return cachedPromise(identities, srcRoot, () => hashEngine(srcRoot))
}

/**
 * Identity of a run function of your own: sha256 of its source text. What it imports is not seen:
 * bump the experiment's `version` when that changes.
 */
export function runFunctionIdentity(run: (...args: never[]) => unknown): string {
  return createHash('sha256').update(run.toString()).digest('hex')
}

async function hashEngine(srcRoot: string): Promise<string> {
  const hash = createHash('sha256')
  for (const folder of ENGINE_FOLDERS) {
    for (const path of await listFiles(join(srcRoot, folder))) {
      hash.update(`${relative(srcRoot, path)}\0`).update(await readFile(path))
    }
  }
  hash.update(JSON.stringify(await enginePackageVersions(srcRoot)))
  hash.update(JSON.stringify(ENGINE_ENV.map((name) => process.env[name]?.trim() ?? '')))
  return hash.digest('hex')
}

/** Every file below `dir`, sorted, so that the hash does not depend on the directory's order. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

/** Installed versions of the packages that compute and decode, as seen from `srcRoot`. */
export async function enginePackageVersions(
  srcRoot: string = SRC_ROOT,
): Promise<Record<string, string>> {
  const require = createRequire(join(srcRoot, 'index.ts'))
  const versions: Record<string, string> = {}
  for (const name of ENGINE_PACKAGES) versions[name] = await packageVersion(require, name)
  return versions
}

/** The installed version of `name` (its package.json above its entry point), or `absent`. */
async function packageVersion(require: NodeJS.Require, name: string): Promise<string> {
  let dir: string
  try {
    dir = dirname(require.resolve(name))
  } catch {
    return 'absent'
  }
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => null)
    const pkg = text === null ? null : (JSON.parse(text) as { name?: string; version?: string })
    if (pkg?.name === name) return pkg.version ?? 'unknown'
  }
  return 'unknown'
}
