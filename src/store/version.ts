import { readFileSync } from 'node:fs'

/** ablate's package version, read once from package.json (it takes part in every store key). */
export const ABLATE_VERSION: string = readVersion()

function readVersion(): string {
  const url = new URL('../../package.json', import.meta.url)
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { version?: string }
  return pkg.version ?? '0.0.0'
}
