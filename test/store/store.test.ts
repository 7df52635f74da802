import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { captureEnvironment } from '../../src/report/environment.js'
import { canonicalJson } from '../../src/store/canonical-json.js'
import { computeRunKey } from '../../src/store/key.js'
import { STORE_SCHEMA_VERSION, type StoredRun } from '../../src/store/record.js'
import {
  isFreshRequested,
  readStoredRun,
  resolveStoreDir,
  runPath,
  writeStoredRun,
} from '../../src/store/store.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ablate-store-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function storedRun(key: string, f1Macro = 0.8): StoredRun {
  return {
    schemaVersion: STORE_SCHEMA_VERSION,
    key,
    experiment: 'flip',
    variant: 'h',
    seed: 1,
    config: { augment: { flip: 'horizontal' } },
    fingerprint: null,
    version: '1',
    ablateVersion: '0.1.0',
    finishedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1234,
    environment: captureEnvironment(),
    state: 'passed',
    metrics: { f1Macro },
  }
}

/** Shuffles an object's keys at every depth (same content, other insertion order). */
function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).reverse()
  return Object.fromEntries(entries.map(([k, v]) => [k, reorder(v)]))
}

describe('canonicalJson and computeRunKey', () => {
  test('the key does not depend on key order, at any depth', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.integer(), (config, seed) => {
        const parts = {
          experiment: 'e',
          seed,
          fingerprint: null,
          code: 'c',
          version: '1',
          ablateVersion: '0',
        }
        expect(computeRunKey({ ...parts, config: reorder(config) })).toBe(
          computeRunKey({ ...parts, config }),
        )
      }),
    )
  })

  test('different configs give different keys', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(canonicalJson(a) !== canonicalJson(b))
        const parts = {
          experiment: 'e',
          seed: 1,
          fingerprint: null,
          code: 'c',
          version: '1',
          ablateVersion: '0',
        }
        expect(computeRunKey({ ...parts, config: a })).not.toBe(
          computeRunKey({ ...parts, config: b }),
        )
      }),
    )
  })

  test('canonical JSON parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
      }),
    )
  })

  test('rejects values JSON cannot hold, naming where', () => {
    expect(() => canonicalJson({ lr: Number.NaN })).toThrow('config.lr')
    expect(() => canonicalJson({ run: () => 1 })).toThrow('config.run: expected JSON data')
  })
})

describe('run files', () => {
  test('write then read gives the run back; no temporary file is left', async () => {
    const run = storedRun('ab12')
    await writeStoredRun({ dir, run })
    expect(await readStoredRun({ dir, key: 'ab12' })).toEqual(run)
    expect(await readdir(join(dir, 'ab'))).toEqual(['ab12.json'])
  })

  test('a missing key reads as null', async () => {
    expect(await readStoredRun({ dir, key: 'ffff' })).toBeNull()
  })

  test('a rewrite replaces the file whole', async () => {
    await writeStoredRun({ dir, run: storedRun('cd34', 0.5) })
    await writeStoredRun({ dir, run: storedRun('cd34', 0.9) })
    const back = await readStoredRun({ dir, key: 'cd34' })
    expect(back?.state === 'passed' && back.metrics.f1Macro).toBe(0.9)
  })

  test('a truncated file throws ABLATE_STORE_CORRUPT naming the file', async () => {
    const path = runPath({ dir, key: 'ef56' })
    await mkdir(join(dir, 'ef'), { recursive: true })
    await writeFile(path, '{"schemaVersion": 1, "key": "ef5')
    await expect(readStoredRun({ dir, key: 'ef56' })).rejects.toMatchObject({
      code: 'ABLATE_STORE_CORRUPT',
      message: expect.stringContaining(path),
    })
  })

  test('a record of another schema version is ignored', async () => {
    await writeStoredRun({ dir, run: { ...storedRun('aa00'), schemaVersion: 99 as 1 } })
    expect(await readStoredRun({ dir, key: 'aa00' })).toBeNull()
  })
})

describe('environment switches', () => {
  test('ABLATE_STORE_DIR overrides the store folder', () => {
    expect(resolveStoreDir({ ABLATE_STORE_DIR: '/x/y' })).toBe('/x/y')
    expect(resolveStoreDir({})).toMatch(/\.ablate[/\\]store$/)
  })

  test('ABLATE_FRESH is on for 1 or true, off for 0, false or unset', () => {
    expect(isFreshRequested({ ABLATE_FRESH: '1' })).toBe(true)
    expect(isFreshRequested({ ABLATE_FRESH: 'true' })).toBe(true)
    expect(isFreshRequested({ ABLATE_FRESH: '0' })).toBe(false)
    expect(isFreshRequested({ ABLATE_FRESH: 'false' })).toBe(false)
    expect(isFreshRequested({})).toBe(false)
  })
})
