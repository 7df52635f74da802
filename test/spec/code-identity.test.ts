import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  ENGINE_FOLDERS,
  engineCodeIdentity,
  enginePackageVersions,
} from '../../src/spec/code-identity.js'

/** The identity of a fresh small source tree after `change` (the function caches per root). */
async function identityAfter(change: (dir: string) => Promise<void>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ablate-code-'))
  try {
    for (const folder of [...ENGINE_FOLDERS, 'report']) {
      await mkdir(join(root, folder, 'nested'), { recursive: true })
      await writeFile(join(root, folder, 'nested', 'a.ts'), `export const where = '${folder}'\n`)
    }
    await change(root)
    return await engineCodeIdentity(root)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

describe('engineCodeIdentity', () => {
  test('is stable for the same code, and changes with any file of an engine folder', async () => {
    const same = await identityAfter(async () => {})
    expect(await identityAfter(async () => {})).toBe(same)
    for (const folder of ENGINE_FOLDERS) {
      const edited = await identityAfter((dir) =>
        writeFile(join(dir, folder, 'nested', 'a.ts'), 'export const where = 1\n'),
      )
      expect(edited, folder).not.toBe(same)
    }
    const added = await identityAfter((dir) => writeFile(join(dir, 'train', 'b.ts'), ''))
    expect(added).not.toBe(same)
  })

  test('changes with a forced backend (ABLATE_BACKEND)', async () => {
    const before = process.env.ABLATE_BACKEND
    const same = await identityAfter(async () => {})
    process.env.ABLATE_BACKEND = before === 'cpu' ? 'wasm' : 'cpu'
    try {
      expect(await identityAfter(async () => {})).not.toBe(same)
    } finally {
      if (before === undefined) delete process.env.ABLATE_BACKEND
      else process.env.ABLATE_BACKEND = before
    }
  })

  test('ignores reporting code, which does not make the numbers', async () => {
    const same = await identityAfter(async () => {})
    const reportEdited = await identityAfter((dir) =>
      writeFile(join(dir, 'report', 'nested', 'a.ts'), 'export const where = 2\n'),
    )
    expect(reportEdited).toBe(same)
  })

  test("ablate's own engine: the installed tfjs and sharp versions take part", async () => {
    const versions = await enginePackageVersions()
    expect(versions['@tensorflow/tfjs-core']).toBe('4.22.0')
    expect(versions['@tensorflow/tfjs-backend-wasm']).toBe('4.22.0')
    expect(versions.sharp).toMatch(/^\d+\.\d+\.\d+/)
    expect(await engineCodeIdentity()).toMatch(/^[0-9a-f]{64}$/)
  })
})
