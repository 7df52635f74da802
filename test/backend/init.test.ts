import { format } from 'node:util'
import * as tf from '@tensorflow/tfjs'
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu'
import createDebug from 'debug'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type ImportModule,
  initBackend,
  pickWorkerGpu,
  resolveInitBackendOptions,
} from '../../src/backend/index.js'
import { parseGpuList, startTensorflow } from '../../src/backend/tensorflow.js'
import { AblateError } from '../../src/errors.js'

const savedBackendEnv = process.env.ABLATE_BACKEND

afterEach(async () => {
  if (savedBackendEnv === undefined) delete process.env.ABLATE_BACKEND
  else process.env.ABLATE_BACKEND = savedBackendEnv
  await initBackend({ backend: 'wasm' })
})

/** An importer that behaves like Node when a package is not installed. */
const missing: ImportModule = async (specifier) => {
  throw Object.assign(new Error(`Cannot find package '${specifier}'`), {
    code: 'ERR_MODULE_NOT_FOUND',
  })
}

describe('resolveInitBackendOptions', () => {
  test('defaults to auto, not deterministic', () => {
    expect(resolveInitBackendOptions({}, {})).toEqual({ backend: 'auto', deterministic: false })
  })

  test('ABLATE_BACKEND replaces auto but not an explicit choice', () => {
    const env = { ABLATE_BACKEND: 'cpu', ABLATE_DETERMINISTIC: '1' }
    expect(resolveInitBackendOptions({}, env)).toEqual({ backend: 'cpu', deterministic: true })
    expect(resolveInitBackendOptions({ backend: 'wasm' }, env).backend).toBe('wasm')
  })

  test('an unknown name is an error naming the value and its source', () => {
    const run = () => resolveInitBackendOptions({}, { ABLATE_BACKEND: 'webgpu' })
    expect(run).toThrow(AblateError)
    expect(run).toThrow(/ABLATE_BACKEND is 'webgpu'/)
  })
})

describe('initBackend', () => {
  test('wasm: single-threaded SIMD build with the versions recorded', async () => {
    const info = await initBackend({ backend: 'wasm' })
    expect(tf.getBackend()).toBe('wasm')
    expect(info).toMatchObject({ name: 'wasm', tfjsVersion: '4.22.0', packageVersion: '4.22.0' })
    expect(info.threads).toBe(1)
    expect(typeof info.simd).toBe('boolean')
  })

  test('is idempotent and switches between started backends', async () => {
    const first = await initBackend({ backend: 'wasm' })
    const cpu = await initBackend({ backend: 'cpu' })
    expect(tf.getBackend()).toBe('cpu')
    expect(cpu.name).toBe('cpu')
    expect(await initBackend({ backend: 'wasm' })).toBe(first)
    expect(tf.getBackend()).toBe('wasm')
  })

  test('wasm can train a conv net (the added kernels are registered)', async () => {
    await initBackend({ backend: 'wasm' })
    const before = tf.memory().numTensors
    const x = tf.ones([2, 6, 6, 2])
    const w = tf.tidy(() => tf.variable(tf.fill([3, 3, 2, 3], 0.1)))
    const d = tf.tidy(() => tf.variable(tf.fill([3, 3, 3, 1], 0.2)))
    const { grads, value } = tf.variableGrads(() =>
      tf.sum(
        tf.depthwiseConv2d(
          tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same'),
          d as tf.Tensor4D,
          1,
          'same',
        ),
      ),
    )
    expect(Object.keys(grads).sort()).toEqual([d.name, w.name].sort())
    expect(Number.isFinite((await value.data())[0])).toBe(true)
    tf.dispose([x, w, d, value, ...Object.values(grads)])
    expect(tf.memory().numTensors).toBe(before)
  })

  test('auto without tfjs-node falls back to wasm and records and logs why', async () => {
    delete process.env.ABLATE_BACKEND
    const lines: string[] = []
    const restore = captureDebug('ablate:backend', lines)
    try {
      const info = await initBackend({}, { importModule: missing })
      expect(info.name).toBe('wasm')
      expect(info.fallbacks?.map((f) => f.name)).toEqual(['tensorflow-gpu', 'tensorflow'])
      expect(info.fallbacks?.[0]?.reason).toContain('@tensorflow/tfjs-node-gpu is not installed')
      expect(lines.join('\n')).toMatch(/backend tensorflow unavailable.*@tensorflow\/tfjs-node /)
    } finally {
      restore()
    }
  })

  test('auto with the real import also falls back here (tfjs-node is not installed)', async () => {
    delete process.env.ABLATE_BACKEND
    const info = await initBackend()
    expect(info.name).toBe('wasm')
  })

  test('an explicitly named backend that cannot load throws with the install command', async () => {
    const run = initBackend({ backend: 'tensorflow' })
    await expect(run).rejects.toThrow(AblateError)
    await expect(initBackend({ backend: 'tensorflow' })).rejects.toThrow(
      /@tensorflow\/tfjs-node is not installed.*npm install --save-exact @tensorflow\/tfjs-node@4\.22\.0/,
    )
  })

  test('ABLATE_BACKEND picks the backend under auto', async () => {
    process.env.ABLATE_BACKEND = 'cpu'
    expect((await initBackend()).name).toBe('cpu')
    expect(tf.getBackend()).toBe('cpu')
  })
})

describe('startTensorflow with a stand-in package', () => {
  /**
   * Registers a cpu backend under the name tfjs-node uses, as the real package does on import. Like
   * tfjs-node's NodeJSKernelBackend, it carries `isUsingGpuDevice` from the binding when given.
   */
  function fakeTfjsNode(args: {
    seen: NodeJS.ProcessEnv[]
    env: NodeJS.ProcessEnv
    usesGpu?: boolean
  }): ImportModule {
    return async () => {
      args.seen.push({ ...args.env })
      tf.registerBackend('tensorflow', () => {
        const backend = new MathBackendCPU()
        if (args.usesGpu === undefined) return backend
        return Object.assign(backend, { isUsingGpuDevice: args.usesGpu })
      })
      return { version: { 'tfjs-node': '4.22.0' } }
    }
  }

  const H200s = ['NVIDIA H200', 'NVIDIA H200']

  afterEach(() => {
    if (tf.findBackend('tensorflow') !== null) tf.removeBackend('tensorflow')
  })

  test('sets memory growth, determinism and the worker GPU before the import', async () => {
    const env: NodeJS.ProcessEnv = { VITEST_POOL_ID: '3' }
    const seen: NodeJS.ProcessEnv[] = []
    const info = await startTensorflow({
      gpu: true,
      deterministic: true,
      env,
      gpus: H200s,
      importModule: fakeTfjsNode({ seen, env, usesGpu: true }),
    })
    expect(seen[0]).toMatchObject({
      TF_FORCE_GPU_ALLOW_GROWTH: 'true',
      TF_DETERMINISTIC_OPS: '1',
      CUDA_VISIBLE_DEVICES: '0',
      CUDA_DEVICE_ORDER: 'PCI_BUS_ID',
    })
    expect(info).toMatchObject({
      name: 'tensorflow-gpu',
      packageVersion: '4.22.0',
      deterministic: true,
      device: 'cuda:0',
      gpuName: 'NVIDIA H200',
    })
    expect(info.notes).toBeUndefined()
    expect(tf.getBackend()).toBe('tensorflow')
  })

  test('records the GPU the worker was given, by its index', async () => {
    const env: NodeJS.ProcessEnv = { VITEST_POOL_ID: '2' }
    const info = await startTensorflow({
      gpu: true,
      deterministic: false,
      env,
      gpus: ['NVIDIA H200', 'NVIDIA A100-SXM4-80GB'],
      importModule: fakeTfjsNode({ seen: [], env, usesGpu: true }),
    })
    expect(info).toMatchObject({ device: 'cuda:1', gpuName: 'NVIDIA A100-SXM4-80GB' })
  })

  test('a GPU build that runs on the CPU (e.g. CUDA 12 only) records cpu and says why', async () => {
    const env: NodeJS.ProcessEnv = { VITEST_POOL_ID: '1' }
    const lines: string[] = []
    const restore = captureDebug('ablate:backend', lines)
    try {
      const info = await startTensorflow({
        gpu: true,
        deterministic: false,
        env,
        gpus: H200s,
        importModule: fakeTfjsNode({ seen: [], env, usesGpu: false }),
      })
      expect(info).toMatchObject({ name: 'tensorflow-gpu', device: 'cpu' })
      expect(info.gpuName).toBeUndefined()
      expect(info.notes).toHaveLength(1)
      expect(info.notes?.[0]).toMatch(/tfjs-node-gpu found no usable GPU and computes on the CPU/)
      expect(info.notes?.[0]).toContain('CUDA 11.2 and cuDNN 8.1')
      expect(lines.join('\n')).toContain('found no usable GPU')
    } finally {
      restore()
    }
  })

  test('a backend silent about its device keeps the requested GPU, noted as unconfirmed', async () => {
    const env: NodeJS.ProcessEnv = {}
    const info = await startTensorflow({
      gpu: true,
      deterministic: false,
      env,
      gpus: [],
      importModule: fakeTfjsNode({ seen: [], env }),
    })
    expect(info.device).toBe('cuda:0')
    expect(info.notes?.[0]).toMatch(/does not say whether it computes on a GPU.*not confirmed/)
  })

  test('the cpu build leaves CUDA_VISIBLE_DEVICES and determinism alone', async () => {
    const env: NodeJS.ProcessEnv = { VITEST_POOL_ID: '2' }
    const seen: NodeJS.ProcessEnv[] = []
    const info = await startTensorflow({
      gpu: false,
      deterministic: false,
      env,
      importModule: fakeTfjsNode({ seen, env, usesGpu: false }),
    })
    expect(seen[0]?.CUDA_VISIBLE_DEVICES).toBeUndefined()
    expect(seen[0]?.CUDA_DEVICE_ORDER).toBeUndefined()
    expect(seen[0]?.TF_DETERMINISTIC_OPS).toBeUndefined()
    expect(info).toMatchObject({ name: 'tensorflow', device: 'cpu', deterministic: false })
    expect(info.notes).toBeUndefined()
  })

  test('a package that loads without registering a backend is an error', async () => {
    const run = startTensorflow({
      gpu: false,
      deterministic: false,
      env: {},
      importModule: async () => ({}),
    })
    await expect(run).rejects.toThrow(/registered no 'tensorflow' backend/)
  })
})

describe('parseGpuList', () => {
  test('reads the models of `nvidia-smi -L` by index, leaving MIG lines out', () => {
    const output = [
      'GPU 0: NVIDIA H200 (UUID: GPU-0b5c6a0e-1111-2222-3333-444455556666)',
      '  MIG 1g.18gb     Device  0: (UUID: MIG-7f2d0c1e-aaaa-bbbb-cccc-ddddeeeeffff)',
      'GPU 1: NVIDIA A100-SXM4-80GB (UUID: GPU-9a8b7c6d-1111-2222-3333-444455556666)',
      '',
    ].join('\n')
    expect(parseGpuList(output)).toEqual(['NVIDIA H200', 'NVIDIA A100-SXM4-80GB'])
    expect(parseGpuList('')).toEqual([])
  })
})

describe('pickWorkerGpu', () => {
  test('maps vitest pool ids round-robin over the GPUs', () => {
    const pick = (id: string, gpuCount: number) =>
      pickWorkerGpu({ env: { VITEST_POOL_ID: id }, gpuCount })
    expect([1, 2, 3, 4, 5].map((id) => pick(String(id), 2))).toEqual(['0', '1', '0', '1', '0'])
  })

  test('chooses from a user list in CUDA_VISIBLE_DEVICES', () => {
    const env = { VITEST_POOL_ID: '2', CUDA_VISIBLE_DEVICES: '4, 6' }
    expect(pickWorkerGpu({ env, gpuCount: 8 })).toBe('6')
  })

  test('leaves things alone outside vitest or without GPUs', () => {
    expect(pickWorkerGpu({ env: {}, gpuCount: 2 })).toBeUndefined()
    expect(pickWorkerGpu({ env: { VITEST_POOL_ID: '1' }, gpuCount: 0 })).toBeUndefined()
  })
})

/** Enables a debug namespace and collects its lines; returns the undo. */
function captureDebug(namespace: string, lines: string[]): () => void {
  const previous = createDebug.disable()
  const previousLog = createDebug.log
  createDebug.enable(namespace)
  createDebug.log = (...args: unknown[]) => {
    lines.push(format(...args))
  }
  return () => {
    createDebug.log = previousLog
    createDebug.enable(previous)
  }
}
