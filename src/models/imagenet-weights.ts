import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AblateError } from '../errors.js'
import { createLogger } from '../log.js'
import type { Architecture } from '../train/config.js'
import { md5OfFileOnce, rememberMd5 } from './known-md5.js'
import { getArchitectureSpec } from './zoo.js'

const log = createLogger('models')

/** Where Keras Applications publishes its weights. */
export const KERAS_APPLICATIONS_BASE_URL =
  'https://storage.googleapis.com/tensorflow/keras-applications/'

/** Options of {@link resolveImagenetWeights}. */
export interface ResolveImagenetWeightsOptions {
  architecture: Architecture
  /**
   * Default: env ABLATE_WEIGHTS_BASE_URL, else Keras Applications' URL. Base that the file's path
   * (e.g. `resnet/resnet50_..._notop.h5`) is appended to: a mirror, or a local server in tests.
   */
  baseUrl?: string
  /** Default: `$KERAS_HOME/models`, else `~/.keras/models` (the folder Keras itself uses). */
  cacheDir?: string
  /** Default: the published md5 of the file (none known for some files: then unchecked). */
  md5?: string | null
}

/** The Keras cache folder for downloaded models: `$KERAS_HOME/models` or `~/.keras/models`. */
export function kerasCacheDir(): string {
  const home = process.env.KERAS_HOME ?? join(homedir(), '.keras')
  return join(home, 'models')
}

/**
 * The path of Keras Applications' ImageNet weights (no top) for `architecture`, downloading the
 * file on first use into the Keras cache folder through a temporary file checked against the
 * published md5 and then renamed. A cached file with a wrong md5 is downloaded again; a good one is
 * hashed once per process while its size and mtime stay the same. Offline, the error says which URL
 * to place at which path.
 */
export async function resolveImagenetWeights(
  options: ResolveImagenetWeightsOptions,
): Promise<string> {
  const spec = options.architecture
  const source = getArchitectureSpec(spec).imagenet
  if (source === undefined) {
    throw new AblateError(
      'ABLATE_WEIGHTS_MISSING',
      `architecture '${options.architecture}' has no published ImageNet weights: ` +
        'use weights: null or a path to a Keras .h5 file',
    )
  }
  const baseUrl =
    options.baseUrl ?? process.env.ABLATE_WEIGHTS_BASE_URL ?? KERAS_APPLICATIONS_BASE_URL
  const url = new URL(source.urlPath, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).href
  const dir = options.cacheDir ?? kerasCacheDir()
  const path = join(dir, source.fileName)
  const md5 = options.md5 === undefined ? source.md5 : options.md5

  if (md5 === null)
    log('%s: Keras publishes no md5 for %s, so it is not checked', spec, source.fileName)
  if (await isCachedAndValid({ path, md5 })) return path
  await mkdir(dir, { recursive: true })
  await download({ url, path, md5 })
  return path
}

async function isCachedAndValid(args: { path: string; md5: string | null }): Promise<boolean> {
  const info = await stat(args.path).catch(() => null)
  if (info === null || !info.isFile()) return false
  if (args.md5 === null) return true
  const found = await md5OfFileOnce(args.path)
  if (found === args.md5) return true
  log('cached %s has md5 %s, expected %s: downloading again', args.path, found, args.md5)
  return false
}

async function download(args: { url: string; path: string; md5: string | null }): Promise<void> {
  const { url, path, md5 } = args
  const temp = `${path}.${process.pid}.${Date.now()}.part`
  const hash = createHash('md5')
  try {
    const response = await fetchOrExplain({ url, path, md5 })
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream)
    body.on('data', (chunk: Buffer) => hash.update(chunk))
    await pipeline(body, createWriteStream(temp))
  } catch (error) {
    await rm(temp, { force: true })
    if (error instanceof AblateError) throw error
    throw offlineError({ url, path, md5, cause: error })
  }

  const found = hash.digest('hex')
  if (md5 !== null && found !== md5) {
    await rm(temp, { force: true })
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `downloaded ${url} has md5 ${found}, expected ${md5}: the file is corrupt or changed; ` +
        `nothing was written to '${path}'. Retry, or place a good copy there yourself`,
    )
  }
  await rename(temp, path)
  await rememberMd5(path, found)
  log('downloaded %s to %s (md5 %s)', url, path, found)
}

async function fetchOrExplain(args: { url: string; path: string; md5: string | null }) {
  const response = await fetch(args.url)
  if (!response.ok || response.body === null) {
    throw offlineError({
      ...args,
      cause: new Error(`HTTP ${response.status} ${response.statusText}`),
    })
  }
  return response
}

function offlineError(args: { url: string; path: string; md5: string | null; cause: unknown }) {
  const check = args.md5 === null ? '' : ` (md5 ${args.md5})`
  const reason = args.cause instanceof Error ? args.cause.message : String(args.cause)
  return new AblateError(
    'ABLATE_WEIGHTS_MISSING',
    `could not download ImageNet weights from ${args.url} (${reason}). On an offline machine, ` +
      `download that file elsewhere and place it at '${args.path}'${check}, or set KERAS_HOME`,
    { cause: args.cause },
  )
}
