import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

/**
 * Writes a file atomically: a temporary file in the same folder (created when missing), then a
 * rename over the final name, so a reader or a later run never sees half a file. The temporary
 * name carries the process id and random bytes, so concurrent writers of one path, in one process
 * or several, never share it; on failure it is removed and the original error is thrown.
 */
export async function writeFileAtomic(args: {
  path: string
  data: string | Uint8Array
}): Promise<void> {
  // Not Math.random: runs may seed it globally, and writing a file must not consume their stream.
  const temp = `${args.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  await mkdir(dirname(args.path), { recursive: true })

  try {
    await writeFile(temp, args.data)
    await rename(temp, args.path)
  } catch (error) {
    // Best effort: a failing cleanup (e.g. ENOTDIR) must not hide the original error.
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}
