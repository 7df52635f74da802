import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import type * as H5 from 'h5wasm'
import { AblateError } from '../errors.js'

type H5Module = typeof H5

let h5Promise: Promise<H5Module> | undefined

/** h5wasm's Node build, loaded once (ESM only, hence the dynamic import). */
export async function loadH5(): Promise<H5Module> {
  h5Promise ??= (async () => {
    const h5 = (await import('h5wasm/node')) as unknown as H5Module & { default?: H5Module }
    const mod = h5.default ?? h5
    await mod.ready
    return mod
  })()
  return h5Promise
}

/** Opens an HDF5 file for reading; a missing or unreadable file gives an error naming it. */
export async function openH5ForRead(path: string): Promise<H5.File> {
  const h5 = await loadH5()
  // Checked first: HDF5 itself would print a diagnostic stack to stderr for a missing file.
  const readable = await access(path, constants.R_OK).then(
    () => true,
    () => false,
  )
  if (!readable) {
    throw new AblateError(
      'ABLATE_WEIGHTS_MISSING',
      `expected a Keras .h5 weights file at '${path}', found no readable file: check the path`,
    )
  }
  try {
    return new h5.File(path, 'r')
  } catch (cause) {
    throw new AblateError(
      'ABLATE_WEIGHTS_INVALID',
      `expected a readable HDF5 weights file at '${path}', but it could not be opened: check the path`,
      { cause },
    )
  }
}

/** Reads a string-list attribute that Keras may have split into `name0`, `name1`, ... chunks. */
export function readChunkedStrings(group: H5.Group, name: string): string[] | undefined {
  const attrs = group.attrs
  const whole = attrs[name]
  if (whole !== undefined) return toStrings(whole.value)
  if (attrs[`${name}0`] === undefined) return undefined

  const out: string[] = []
  for (let i = 0; attrs[`${name}${i}`] !== undefined; i++) {
    out.push(...toStrings(attrs[`${name}${i}`]!.value))
  }
  return out
}

function toStrings(value: unknown): string[] {
  if (value === null || value === undefined) return []
  // An empty list comes back as an empty typed array (h5py writes Keras' [] as float64 or 'S1').
  if (ArrayBuffer.isView(value) && (value as unknown as ArrayLike<number>).length === 0) return []
  const list = Array.isArray(value) ? value : [value]
  return list.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)))
}

/**
 * Writes a string-list attribute as Keras 2 does: whole when it fits an HDF5 object header
 * (64,512 bytes), else split evenly into `name0`, `name1`, ... chunks that each fit.
 */
export function writeChunkedStrings(args: {
  group: H5.Group
  name: string
  values: string[]
  limitBytes?: number
}): void {
  const { group, name, values } = args
  const limit = args.limitBytes ?? 64_512
  const width = Math.max(1, ...values.map((v) => Buffer.byteLength(v)))
  const chunks = Math.ceil((width * values.length) / limit)
  if (values.length === 0) {
    group.create_attribute(name, [], [0], 'S1')
    return
  }
  if (chunks <= 1) {
    group.create_attribute(name, values)
    return
  }
  const size = Math.ceil(values.length / chunks)
  for (let i = 0; i * size < values.length; i++) {
    group.create_attribute(`${name}${i}`, values.slice(i * size, (i + 1) * size))
  }
}
