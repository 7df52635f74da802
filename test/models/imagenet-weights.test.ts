import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest'
import { AblateError } from '../../src/errors.js'
import { md5OfFile } from '../../src/models/file-md5.js'
import { kerasCacheDir, resolveImagenetWeights } from '../../src/models/index.js'

// The real hash, wrapped so that the tests can count which files it read.
vi.mock('../../src/models/file-md5.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/models/file-md5.js')>()
  return { md5OfFile: vi.fn(real.md5OfFile) }
})

const FILE = 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5'
const BODY = Buffer.from('not really weights, but bytes with a known md5')
const BODY_MD5 = createHash('md5').update(BODY).digest('hex')

let server: Server
let baseUrl: string
let root: string
const requests: string[] = []

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ablate-imagenet-'))
  server = createServer((req, res) => {
    requests.push(req.url ?? '')
    if (req.url === `/keras-applications/resnet/${FILE}`) res.end(BODY)
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keras-applications/`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await rm(root, { recursive: true, force: true })
})

describe('resolveImagenetWeights', () => {
  test('downloads once into the cache folder, checks md5, then reuses the file', async () => {
    const cacheDir = join(root, 'ok', 'models')
    requests.length = 0
    const path = await resolveImagenetWeights({
      architecture: 'resnet50',
      baseUrl,
      cacheDir,
      md5: BODY_MD5,
    })
    expect(path).toBe(join(cacheDir, FILE))
    expect(await readFile(path)).toEqual(BODY)
    expect(
      await resolveImagenetWeights({ architecture: 'resnet50', baseUrl, cacheDir, md5: BODY_MD5 }),
    ).toBe(path)
    expect(requests).toEqual([`/keras-applications/resnet/${FILE}`])
    expect(await readdir(cacheDir)).toEqual([FILE])
  })

  test('a download that does not match the published md5 leaves nothing behind', async () => {
    const cacheDir = join(root, 'bad', 'models')
    const resolve = resolveImagenetWeights({ architecture: 'resnet50', baseUrl, cacheDir })
    await expect(resolve).rejects.toThrow(AblateError)
    // Published md5 of Keras' ResNet50 no-top file, and the md5 of what the server sent.
    await expect(resolve).rejects.toThrow('4d473c1dd8becc155b73f8504c6f6626')
    await expect(resolve).rejects.toThrow(BODY_MD5)
    expect(await readdir(cacheDir)).toEqual([])
  })

  test('a cached file with the wrong md5 is downloaded again', async () => {
    const cacheDir = join(root, 'stale', 'models')
    await resolveImagenetWeights({ architecture: 'resnet50', baseUrl, cacheDir, md5: BODY_MD5 })
    await writeFile(join(cacheDir, FILE), 'truncated')
    requests.length = 0
    const path = await resolveImagenetWeights({
      architecture: 'resnet50',
      baseUrl,
      cacheDir,
      md5: BODY_MD5,
    })
    expect(requests).toHaveLength(1)
    expect(await readFile(path)).toEqual(BODY)
  })

  test('hashes a cached file once per process while its size and mtime stay the same', async () => {
    const cacheDir = join(root, 'once', 'models')
    const path = join(cacheDir, FILE)
    await mkdir(cacheDir, { recursive: true })
    await writeFile(path, BODY)
    const hashed = vi.mocked(md5OfFile)
    hashed.mockClear()
    requests.length = 0
    const resolve = () =>
      resolveImagenetWeights({ architecture: 'resnet50', baseUrl, cacheDir, md5: BODY_MD5 })

    await resolve()
    await resolve()
    await resolve()
    expect(hashed.mock.calls).toEqual([[path]])
    // A touched file (other mtime) is read again, once.
    await utimes(path, new Date(0), new Date(1_000))
    await resolve()
    await resolve()
    expect(hashed).toHaveBeenCalledTimes(2)
    expect(requests).toEqual([])
  })

  test('a file it downloaded is not hashed again from disk', async () => {
    const cacheDir = join(root, 'fresh', 'models')
    const hashed = vi.mocked(md5OfFile)
    hashed.mockClear()
    const options = { architecture: 'resnet50' as const, baseUrl, cacheDir, md5: BODY_MD5 }
    const path = await resolveImagenetWeights(options)
    expect(await resolveImagenetWeights(options)).toBe(path)
    expect(hashed).not.toHaveBeenCalled()
    // A different file on the same path (other size) is checked, found wrong and downloaded again.
    await writeFile(path, 'truncated')
    requests.length = 0
    await resolveImagenetWeights(options)
    expect(hashed.mock.calls).toEqual([[path]])
    expect(requests).toHaveLength(1)
  })

  test('offline: the error says which URL to place at which path', async () => {
    const cacheDir = join(root, 'offline', 'models')
    const closed = 'http://127.0.0.1:9/keras-applications/'
    const resolve = resolveImagenetWeights({
      architecture: 'mobilenetv2',
      baseUrl: closed,
      cacheDir,
    })
    await expect(resolve).rejects.toMatchObject({ code: 'ABLATE_WEIGHTS_MISSING' })
    await expect(resolve).rejects.toThrow(
      `${closed}mobilenet_v2/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5`,
    )
    await expect(resolve).rejects.toThrow(
      join(cacheDir, 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5'),
    )
  })

  test('a 404 and an architecture without published weights are explained', async () => {
    const cacheDir = join(root, 'missing', 'models')
    await expect(
      resolveImagenetWeights({ architecture: 'densenet121', baseUrl, cacheDir }),
    ).rejects.toThrow('HTTP 404')
    await expect(
      resolveImagenetWeights({ architecture: 'compact-resnet', cacheDir }),
    ).rejects.toThrow("'compact-resnet'")
  })

  test('the cache folder follows KERAS_HOME, else ~/.keras/models', () => {
    const saved = process.env.KERAS_HOME
    try {
      process.env.KERAS_HOME = '/opt/keras-home'
      expect(kerasCacheDir()).toBe('/opt/keras-home/models')
      delete process.env.KERAS_HOME
      expect(kerasCacheDir()).toMatch(/\.keras\/models$/)
    } finally {
      if (saved === undefined) delete process.env.KERAS_HOME
      else process.env.KERAS_HOME = saved
    }
  })
})
