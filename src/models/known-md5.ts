import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { cachedPromise } from '../promise-cache.js'
import { md5OfFile } from './file-md5.js'

/**
 * md5s of files this process hashed or wrote, by path, size and mtime: a ResNet50 weight file is
 * about 100 MB, so it is hashed once per process, not once per run or per fingerprint. A rewritten
 * file gets a new key; a failed read is not remembered.
 */
const known = new Map<string, Promise<string>>()

/** The md5 of a file, read at most once per process while its path, size and mtime stay. */
export async function md5OfFileOnce(path: string): Promise<string> {
  const key = await fileKey(path)
  return cachedPromise(known, key, () => md5OfFile(path))
}

/** Remembers the md5 of a file just written and checked on the way in (a download). */
export async function rememberMd5(path: string, md5: string): Promise<void> {
  known.set(await fileKey(path), Promise.resolve(md5))
}

async function fileKey(path: string): Promise<string> {
  const { size, mtimeMs } = await stat(path)
  return `${resolve(path)}:${size}:${mtimeMs}`
}
